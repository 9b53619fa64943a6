// A transaction simulation with the part of fabric-shim's ChaincodeStub the contract uses.
// Like a Fabric peer it records a read set (key versions) and buffers writes; unlike Fabric,
// reads see the transaction's own earlier writes (the contract never relies on either).
// State-based endorsement policies (setStateValidationParameter) are recorded in the block and
// served back, but not enforced: the embedded ledger has one signer per organisation and no
// endorsing peers, so its authority checks are the contract's own (the submitter's organisation)
// and the committer's signature check. On Fabric, the validator enforces them.
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../chaincode/src/canonical.ts';
import type { HashedPrivateRead, RangeRecord, Version } from './block-store.ts';
import type { PrivateLookup, PrivateWrite } from './private-store.ts';
import type { HashedStateEntry, TxDraft, WorldState } from './world-state.ts';

const COMPOSITE_NS = '\u0000';
const MIN_RUNE = '\u0000';
const MAX_RUNE = '\u{10ffff}';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface TxIdentity {
  mspId: string;
  id: string;
}

export interface TxProposal {
  fn: string;
  args: string[];
  creator: TxIdentity;
  nonce: Uint8Array;
  /** Milliseconds since the epoch: the client's clock at simulation time, like a proposal header. */
  timestampMillis: number;
  /** Data for the chaincode only (private details, salts): never part of the transaction record. */
  transient?: Record<string, string>;
}

/** What the peer knows of private data: the collections declared and the values it holds. */
export interface PrivateDataAccess {
  /** Collection name -> member organisations, from the chaincode's collection configuration. */
  collections: ReadonlyMap<string, readonly string[]>;
  lookup(collection: string, key: string, expected: HashedStateEntry): PrivateLookup;
}

const NO_PRIVATE_DATA: PrivateDataAccess = {
  collections: new Map(),
  lookup: () => ({ found: false, reason: 'missing' }),
};

/** Fabric's tx id: SHA-256 of nonce and serialized creator, hex. */
export function txIdFor(nonce: Uint8Array, creator: TxIdentity): string {
  return createHash('sha256').update(nonce).update(`${creator.mspId}\n${creator.id}`).digest('hex');
}

function validateCompositePart(part: unknown): void {
  if (typeof part !== 'string' || part.length === 0)
    throw new Error('object type or attribute not a non-zero length string');
}

/** Protobuf-like timestamp; seconds is Long-shaped as fabric-shim returns it. */
function protoTimestamp(millis: number) {
  const seconds = Math.floor(millis / 1000);
  return {
    seconds: {
      low: seconds | 0,
      high: Math.floor(seconds / 2 ** 32),
      unsigned: true,
      toNumber: () => seconds,
    },
    nanos: (millis - seconds * 1000) * 1e6,
  };
}

/** fabric-shim hands back a promise of an iterator that is itself async-iterable: mirror that. */
function queryIterator<T>(
  rows: T[],
): Promise<{ next(): Promise<{ value: T; done: boolean }>; close(): Promise<void> }> & AsyncIterable<T> {
  let index = 0;
  const iterator = {
    next: async () =>
      index < rows.length ? { value: rows[index++], done: false } : { value: undefined as T, done: true },
    close: async () => undefined,
  };
  const promise = Promise.resolve(iterator) as ReturnType<typeof queryIterator<T>>;
  (promise as unknown as AsyncIterable<T>)[Symbol.asyncIterator] = async function* () {
    yield* rows;
  };
  return promise;
}

export class EmbeddedStub {
  readonly txId: string;
  private readonly reads = new Map<string, Version | null>();
  private readonly ranges: RangeRecord[] = [];
  private readonly writes = new Map<string, string | null>();
  /** collection U+0000 key -> what was read or written, so each key counts once. */
  private readonly privateReads = new Map<string, HashedPrivateRead>();
  private readonly privateWrites = new Map<string, PrivateWrite>();
  /** key -> the state-based endorsement policy set on it (base64). */
  private readonly validationWrites = new Map<string, string>();
  private event: { name: string; payload: string } | undefined;

  constructor(
    private readonly state: WorldState,
    private readonly proposal: TxProposal,
    private readonly privateData: PrivateDataAccess = NO_PRIVATE_DATA,
  ) {
    this.txId = txIdFor(proposal.nonce, proposal.creator);
  }

  async getState(key: string): Promise<Uint8Array> {
    if (this.writes.has(key)) return encoder.encode(this.writes.get(key) ?? '');
    const entry = this.state.get(key);
    if (!this.reads.has(key)) this.reads.set(key, entry?.version ?? null);
    return encoder.encode(entry?.value ?? ''); // Fabric returns an empty buffer for a missing key
  }

  async putState(key: string, value: Uint8Array | string): Promise<void> {
    if (typeof key !== 'string' || key === '') throw new Error('key must not be an empty string');
    this.writes.set(key, typeof value === 'string' ? value : decoder.decode(value));
  }

  async deleteState(key: string): Promise<void> {
    this.writes.set(key, null);
  }

  /**
   * A key's state-based endorsement policy, or undefined (as fabric-shim returns it) when none.
   * Like Fabric, the read joins the read set: a concurrent change of the key conflicts.
   */
  async getStateValidationParameter(key: string): Promise<Uint8Array | undefined> {
    if (typeof key !== 'string' || key === '') throw new Error('key must not be an empty string');
    const own = this.validationWrites.get(key);
    if (own !== undefined) return Buffer.from(own, 'base64');
    if (!this.reads.has(key) && !this.writes.has(key))
      this.reads.set(key, this.state.get(key)?.version ?? null);
    const committed = this.state.validationParameter(key);
    return committed === undefined ? undefined : Buffer.from(committed, 'base64');
  }

  async setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    if (typeof key !== 'string' || key === '') throw new Error('key must not be an empty string');
    if (!(ep instanceof Uint8Array) || ep.length === 0)
      throw new Error('endorsement policy must be non-empty bytes');
    this.validationWrites.set(key, Buffer.from(ep).toString('base64'));
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    validateCompositePart(objectType);
    if (!Array.isArray(attributes)) throw new Error('attributes must be an array');
    let key = COMPOSITE_NS + objectType + MIN_RUNE;
    for (const attribute of attributes) {
      validateCompositePart(attribute);
      key += attribute + MIN_RUNE;
    }
    return key;
  }

  splitCompositeKey(compositeKey: string): { objectType: string | null; attributes: string[] } {
    const result: { objectType: string | null; attributes: string[] } = { objectType: null, attributes: [] };
    if (compositeKey && compositeKey.length > 1 && compositeKey.charAt(0) === COMPOSITE_NS) {
      const parts = compositeKey.substring(1).split(MIN_RUNE);
      result.objectType = parts[0];
      parts.pop();
      if (parts.length > 1) result.attributes = parts.slice(1);
    }
    return result;
  }

  getStateByRange(startKey: string, endKey: string) {
    const committed = this.state.range(startKey, endKey);
    this.ranges.push({
      start: startKey,
      end: endKey,
      keys: committed.map((r) => ({ key: r.key, version: r.entry.version })),
    });
    const merged = new Map(committed.map((r) => [r.key, r.entry.value] as [string, string | null]));
    for (const [key, value] of this.writes) if (key >= startKey && key < endKey) merged.set(key, value);
    const rows = [...merged]
      .filter((row): row is [string, string] => row[1] !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ namespace: 'govflow', key, value: encoder.encode(value) }));
    return queryIterator(rows);
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]) {
    const prefix = this.createCompositeKey(objectType, attributes);
    return this.getStateByRange(prefix, prefix + MAX_RUNE);
  }

  /** Committed modifications, newest first, as Fabric 2.x's history database returns them. */
  getHistoryForKey(key: string) {
    const rows = [...this.state.history(key)].reverse().map((h) => ({
      txId: h.txId,
      timestamp: protoTimestamp(Date.parse(h.timestamp)),
      isDelete: h.value === null,
      value: encoder.encode(h.value ?? ''),
    }));
    return queryIterator(rows);
  }

  getTxID(): string {
    return this.txId;
  }

  getChannelID(): string {
    return 'govflow';
  }

  getTxTimestamp() {
    return protoTimestamp(this.proposal.timestampMillis);
  }

  getDateTimestamp(): Date {
    return new Date(this.proposal.timestampMillis);
  }

  getFunctionAndParameters(): { fcn: string; params: string[] } {
    return { fcn: this.proposal.fn, params: [...this.proposal.args] };
  }

  getArgs(): string[] {
    return [this.proposal.fn, ...this.proposal.args];
  }

  getStringArgs(): string[] {
    return this.getArgs();
  }

  getCreator(): { mspid: string; idBytes: Uint8Array } {
    return { mspid: this.proposal.creator.mspId, idBytes: encoder.encode(this.proposal.creator.id) };
  }

  getMspID(): string {
    return 'EmbeddedPeerMSP';
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map(Object.entries(this.proposal.transient ?? {}).map(([k, v]) => [k, encoder.encode(v)]));
  }

  async getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    this.checkCollection(collection, key, 'read');
    const own = this.privateWrites.get(`${collection}\u0000${key}`);
    if (own) return encoder.encode(own.value ?? '');
    const entry = this.readHashed(collection, key);
    if (!entry) return new Uint8Array();
    const found = this.privateData.lookup(collection, key, entry);
    if (!found.found) {
      const why = found.reason === 'missing' ? 'is not available on this peer' : 'does not match its hash';
      throw new Error(
        `private data of collection ${collection}, key hash ${sha256Hex(key).slice(0, 12)}…, ${why}`,
      );
    }
    return encoder.encode(found.value);
  }

  /** SHA-256 of the value, as raw bytes; served to non-members too, as Fabric does. */
  async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    this.checkCollection(collection, key);
    const own = this.privateWrites.get(`${collection}\u0000${key}`);
    if (own) return own.value === null ? new Uint8Array() : Buffer.from(sha256Hex(own.value), 'hex');
    const entry = this.readHashed(collection, key);
    return entry ? Buffer.from(entry.valueHash, 'hex') : new Uint8Array();
  }

  async putPrivateData(collection: string, key: string, value: Uint8Array | string): Promise<void> {
    this.checkCollection(collection, key, 'write');
    const text = typeof value === 'string' ? value : decoder.decode(value);
    if (text === '') throw new Error('value must not be empty: use deletePrivateData');
    this.privateWrites.set(`${collection}\u0000${key}`, { collection, key, value: text });
  }

  async deletePrivateData(collection: string, key: string): Promise<void> {
    this.checkCollection(collection, key, 'write');
    this.privateWrites.set(`${collection}\u0000${key}`, { collection, key, value: null });
  }

  /** Fabric refuses collections the chaincode does not declare, and (memberOnlyRead/Write) non-members. */
  private checkCollection(collection: string, key: string, access?: 'read' | 'write'): void {
    if (typeof collection !== 'string' || collection === '')
      throw new Error('collection must be a valid string');
    if (typeof key !== 'string' || key === '') throw new Error('key must be a valid string');
    const members = this.privateData.collections.get(collection);
    if (!members) throw new Error(`collection ${collection} is not defined for chaincode govflow`);
    if (access && !members.includes(this.proposal.creator.mspId)) {
      throw new Error(
        `tx creator does not have ${access} access permission on privatedata in chaincodeName:govflow collectionName: ${collection}`,
      );
    }
  }

  /** The hashed state of a private key, recorded in the read set for MVCC validation. */
  private readHashed(collection: string, key: string): HashedStateEntry | undefined {
    const keyHash = sha256Hex(key);
    const entry = this.state.hashedPrivate(collection, keyHash);
    const slot = `${collection}\u0000${key}`;
    if (!this.privateReads.has(slot)) {
      this.privateReads.set(slot, { collection, keyHash, version: entry?.version ?? null });
    }
    return entry;
  }

  /** Fabric keeps one event per transaction: the last one set. */
  setEvent(name: string, payload: Uint8Array): void {
    if (typeof name !== 'string' || name === '') throw new Error('Event name must be a non-empty string');
    this.event = { name, payload: decoder.decode(payload) };
  }

  /** The submitting identity of this proposal. */
  get creator(): TxIdentity {
    return { ...this.proposal.creator };
  }

  hasWrites(): boolean {
    return this.writes.size > 0 || this.privateWrites.size > 0 || this.validationWrites.size > 0;
  }

  /** The private writes in clear, for the private store; never part of a block. */
  privateWriteSet(): PrivateWrite[] {
    return [...this.privateWrites.values()];
  }

  /** The read/write set and event, ready for ordering and validation. */
  toDraft(argsHash: string): TxDraft {
    return {
      txId: this.txId,
      fn: this.proposal.fn,
      argsHash,
      creator: { ...this.proposal.creator },
      timestamp: new Date(this.proposal.timestampMillis).toISOString(),
      reads: [...this.reads].map(([key, version]) => ({ key, version })),
      ranges: this.ranges,
      writes: [...this.writes].map(([key, value]) => ({ key, value })),
      events: this.event ? [this.event] : [],
      // Absent when empty, so blocks without private data keep the shape (and hash) they had.
      privateReads: this.privateReads.size > 0 ? [...this.privateReads.values()] : undefined,
      privateWrites:
        this.privateWrites.size > 0
          ? [...this.privateWrites.values()].map(({ collection, key, value }) => ({
              collection,
              keyHash: sha256Hex(key),
              valueHash: value === null ? null : sha256Hex(value),
            }))
          : undefined,
      validationParameters:
        this.validationWrites.size > 0
          ? [...this.validationWrites].map(([key, policy]) => ({ key, policy }))
          : undefined,
    };
  }
}

/** The client identity the contract sees through ctx.clientIdentity. */
export class EmbeddedClientIdentity {
  constructor(private readonly identity: TxIdentity) {}

  getMSPID(): string {
    return this.identity.mspId;
  }

  /** Shaped like fabric-shim's x509 id string. */
  getID(): string {
    return `x509::/CN=${this.identity.id}::/CN=ca.${this.identity.mspId}`;
  }

  getIDBytes(): Uint8Array {
    return encoder.encode(this.identity.id);
  }

  getAttributeValue(_name: string): string | null {
    return null;
  }

  assertAttributeValue(_name: string, _value: string): boolean {
    return false;
  }
}
