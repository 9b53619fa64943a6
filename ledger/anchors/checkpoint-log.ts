// Signed checkpoints and witness co-signatures of the embedded ledger, in two append-only files
// of its data directory (checkpoints.jsonl, witnesses.jsonl), appended under the ledger lock and
// fsynced. Every process sharing the directory reads them back and accepts a line only when it
// checks out against the ledger key, the genesis config and its own Merkle tree: a line another
// process appended is served only after the same checks as one of its own.
import { type KeyObject, sign } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../chaincode/src/canonical.ts';
import {
  appendSynced,
  discardPartialTail,
  type RawLine,
  readCompleteLines,
} from '../embedded/block-store.ts';
import { ENGINE_ORGANISATION, type LedgerConfig, signatureOver } from '../embedded/genesis.ts';
import { publicKeyFromBase64 } from '../keys.ts';
import type { MerkleTree } from './merkle-tree.ts';
import {
  CHECKPOINT_FORMAT,
  type CheckpointBody,
  type SignedCheckpoint,
  WITNESS_FORMAT,
  type WitnessSignature,
} from './types.ts';

export const CHECKPOINTS_FILE = 'checkpoints.jsonl';
export const WITNESSES_FILE = 'witnesses.jsonl';

export function checkpointBytes(body: CheckpointBody): Buffer {
  const { format, ledgerKey, size, root, blockNumber, timestamp } = body;
  return Buffer.from(canonicalJson({ format, ledgerKey, size, root, blockNumber, timestamp }), 'utf8');
}

export function witnessBytes(body: CheckpointBody): Buffer {
  const { format, ledgerKey, size, root, blockNumber, timestamp } = body;
  return Buffer.from(
    canonicalJson({
      format: WITNESS_FORMAT,
      checkpoint: { format, ledgerKey, size, root, blockNumber, timestamp },
    }),
    'utf8',
  );
}

type StoredCheckpoint = Omit<SignedCheckpoint, 'witnesses'>;
type OrgKey = { mspId: string; publicKey: string; fingerprint: string };

/** A file read line by line; a line that cannot be judged yet is kept for the next read. */
class PendingLines {
  private offset = 0;
  private pending: RawLine[] = [];
  readonly fd: number;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a+');
  }

  /** Hands each line to `use` until it returns false (not yet decidable), keeping the rest. */
  drain(use: (line: RawLine) => boolean): void {
    const { lines, offset } = readCompleteLines(this.fd, this.offset);
    this.offset = offset;
    const all = [...this.pending, ...lines];
    let i = 0;
    while (i < all.length && use(all[i])) i++;
    this.pending = all.slice(i);
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Drops a half-written last line (a crash's leftover); under the ledger lock, after drain(). */
  trim(): void {
    discardPartialTail(this.fd, this.offset);
  }
}

export class CheckpointLog {
  private readonly checkpointsFile: PendingLines;
  private readonly witnessesFile: PendingLines;
  private readonly checkpoints: StoredCheckpoint[] = [];
  private readonly bySize = new Map<number, StoredCheckpoint>();
  private readonly witnesses = new Map<number, Map<string, WitnessSignature>>();
  /**
   * Signatures are verified when first served, not when read: opening a ledger of 100k
   * checkpoints does not verify 100k signatures (and witness signatures) nobody asks for.
   */
  private readonly signed = new Set<number>();
  private readonly unverified = new Map<number, { w: WitnessSignature; org: OrgKey }[]>();
  /** The first checkpoint line that failed its checks: the ledger serves no anchors past it. */
  problem: string | null = null;

  constructor(
    readonly dir: string,
    private readonly ledgerKey: KeyObject,
    private readonly ledgerFingerprint: string,
  ) {
    this.checkpointsFile = new PendingLines(join(dir, CHECKPOINTS_FILE));
    this.witnessesFile = new PendingLines(join(dir, WITNESSES_FILE));
  }

  get latest(): StoredCheckpoint | undefined {
    return this.checkpoints.at(-1);
  }

  /**
   * Reads the lines appended since the last call, checking each checkpoint against the tree and
   * each witness signature against the config. `complete` (under the lock, blocks read to the
   * end): a checkpoint beyond the tree is a problem (blocks were removed), not a line to wait for.
   */
  catchUp(tree: MerkleTree, config: LedgerConfig, complete: boolean): void {
    if (this.problem) return;
    this.readCheckpoints(tree);
    if (complete && !this.problem && this.checkpointsFile.hasPending) {
      this.problem = `${CHECKPOINTS_FILE} holds a checkpoint of more transactions than the blocks (${tree.size}) — blocks were removed`;
    }
    if (this.problem) return;
    const keys = new Map(config.organisations.map((o) => [o.mspId, o]));
    this.witnessesFile.drain((line) => {
      let w: WitnessSignature & { size: number };
      try {
        w = JSON.parse(line.text);
      } catch {
        return true; // an unreadable line witnesses nothing
      }
      // A witness line is appended after its checkpoint's: read on, unless the tree is behind.
      if (!this.bySize.has(w?.size) && w?.size > (this.latest?.size ?? 0)) this.readCheckpoints(tree);
      const checkpoint = this.bySize.get(w?.size);
      if (!checkpoint) return !(w?.size > (this.latest?.size ?? 0) && this.checkpointsFile.hasPending);
      const org = keys.get(w.mspId);
      // Lines that do not verify are never served: a forged co-signature counts for nothing.
      if (org && w.keyFingerprint === org.fingerprint) {
        const list = this.unverified.get(w.size) ?? [];
        list.push({ w, org });
        this.unverified.set(w.size, list);
      }
      return true;
    });
  }

  private readCheckpoints(tree: MerkleTree): void {
    this.checkpointsFile.drain((line) => {
      if (this.problem) return false;
      const checked = this.checkCheckpoint(line, tree);
      if (checked === 'later') return false;
      if (checked === 'repeat') return true;
      if (typeof checked === 'string') {
        this.problem = checked;
        return false;
      }
      this.checkpoints.push(checked);
      this.bySize.set(checked.size, checked);
      return true;
    });
  }

  /**
   * Signs and appends the checkpoint of the tree as it is; under the ledger lock. The block it
   * covers is already fsynced; the checkpoint line is fsynced before any process serves it
   * (sync()), so a commit pays one fsync. A crash before then loses an unserved checkpoint,
   * which the next open issues again for the blocks it no longer covers.
   */
  issue(privateKey: KeyObject, tree: MerkleTree, blockNumber: number, timestamp: string): StoredCheckpoint {
    const body: CheckpointBody = {
      format: CHECKPOINT_FORMAT,
      ledgerKey: this.ledgerFingerprint,
      size: tree.size,
      root: tree.root().toString('hex'),
      blockNumber,
      timestamp,
    };
    const signed = { ...body, signature: sign(null, checkpointBytes(body), privateKey).toString('base64') };
    appendSynced(this.checkpointsFile.fd, `${canonicalJson(signed)}\n`, false);
    return signed;
  }

  /** Makes every checkpoint read so far durable (whichever process wrote it) before it is served. */
  sync(): void {
    fsyncSync(this.checkpointsFile.fd);
  }

  /** Drops half-written last lines of both files; under the ledger lock, after catchUp(). */
  trimTails(): void {
    this.checkpointsFile.trim();
    this.witnessesFile.trim();
  }

  /** The checkpoint as served: its signature checked, with the witness signatures that verify. */
  withWitnesses(checkpoint: StoredCheckpoint): SignedCheckpoint {
    const problem = this.signatureProblem(checkpoint);
    if (problem) throw new Error(problem);
    const stored = this.verifiedWitnesses(checkpoint.size);
    const witnesses = [...stored.values()].sort((a, b) => (a.mspId < b.mspId ? -1 : 1));
    return { ...checkpoint, witnesses };
  }

  /** Checks the ledger's signature on a checkpoint once; a bad one stops every later call. */
  signatureProblem(c: StoredCheckpoint): string | null {
    if (this.signed.has(c.size)) return null;
    if (!signatureOver(checkpointBytes(c), c.signature, this.ledgerKey)) {
      this.problem ??= `checkpoint of size ${c.size} in ${CHECKPOINTS_FILE}: signature invalid — not signed by the configured ledger key`;
      return this.problem;
    }
    this.signed.add(c.size);
    return null;
  }

  private verifiedWitnesses(size: number): Map<string, WitnessSignature> {
    const pending = this.unverified.get(size);
    const checkpoint = this.bySize.get(size);
    if (pending && checkpoint) {
      this.unverified.delete(size);
      for (const { w, org } of pending) {
        if (this.witnessProblem(checkpoint, w, org) === null) this.storeWitness(size, w);
      }
    }
    return this.witnesses.get(size) ?? new Map();
  }

  get(size: number): StoredCheckpoint | undefined {
    return this.bySize.get(size);
  }

  /** Newest first. */
  newestFirst(): StoredCheckpoint[] {
    return [...this.checkpoints].reverse();
  }

  witnessCount(size: number): number {
    return this.verifiedWitnesses(size).size;
  }

  /** Checks a co-signature offered for a stored checkpoint; throws naming what is wrong. */
  checkWitness(size: number, witness: WitnessSignature, config: LedgerConfig): 'stored' | 'new' {
    const checkpoint = this.bySize.get(size);
    if (!checkpoint) throw new Error(`no checkpoint of tree size ${size} was issued by this ledger`);
    const org = config.organisations.find((o) => o.mspId === witness?.mspId);
    if (!org)
      throw new Error(`witness organisation ${JSON.stringify(witness?.mspId)} is not in the ledger's config`);
    if (org.mspId === ENGINE_ORGANISATION || org.mspId === config.engine) {
      throw new Error(`${org.mspId} runs the engine that writes this ledger: it cannot witness it`);
    }
    if (witness.keyFingerprint === this.ledgerFingerprint || org.fingerprint === this.ledgerFingerprint) {
      throw new Error("the ledger's own key cannot witness the ledger");
    }
    const problem = this.witnessProblem(checkpoint, witness, org);
    if (problem) throw new Error(problem);
    return this.verifiedWitnesses(size).has(org.mspId) ? 'stored' : 'new';
  }

  appendWitness(size: number, witness: WitnessSignature): void {
    const { mspId, keyFingerprint, signature } = witness;
    appendSynced(this.witnessesFile.fd, `${canonicalJson({ size, mspId, keyFingerprint, signature })}\n`);
  }

  close(): void {
    closeSync(this.checkpointsFile.fd);
    closeSync(this.witnessesFile.fd);
  }

  private storeWitness(size: number, w: WitnessSignature): void {
    const map = this.witnesses.get(size) ?? new Map<string, WitnessSignature>();
    if (!map.has(w.mspId)) {
      map.set(w.mspId, { mspId: w.mspId, keyFingerprint: w.keyFingerprint, signature: w.signature });
    }
    this.witnesses.set(size, map);
  }

  private witnessProblem(checkpoint: StoredCheckpoint, w: WitnessSignature, org: OrgKey): string | null {
    if (w.keyFingerprint !== org.fingerprint) {
      return `witness ${org.mspId} names key ${w.keyFingerprint}, but the ledger's config names ${org.fingerprint}`;
    }
    if (org.mspId === ENGINE_ORGANISATION) return `${org.mspId} cannot witness`;
    if (!signatureOver(witnessBytes(checkpoint), w.signature, publicKeyFromBase64(org.publicKey))) {
      return `witness signature of ${org.mspId} over checkpoint ${checkpoint.size} does not verify with its key`;
    }
    return null;
  }

  /** A checked checkpoint, 'later' when the tree has not reached it yet, or what is wrong. */
  private checkCheckpoint(line: RawLine, tree: MerkleTree): StoredCheckpoint | 'later' | 'repeat' | string {
    const where = `${CHECKPOINTS_FILE} at byte ${line.offset}`;
    let c: StoredCheckpoint;
    try {
      c = JSON.parse(line.text);
    } catch {
      return `${where}: not a readable checkpoint — the file was altered`;
    }
    const name = `checkpoint of size ${c?.size} (${where})`;
    if (c?.format !== CHECKPOINT_FORMAT || !Number.isSafeInteger(c.size)) return `${where}: not a checkpoint`;
    if (c.ledgerKey !== this.ledgerFingerprint) {
      return `${name}: names ledger key ${c.ledgerKey}, the configured one is ${this.ledgerFingerprint}`;
    }
    const previous = this.latest;
    if (previous && c.size <= previous.size) {
      if (this.bySize.get(c.size)?.signature === c.signature) return 'repeat'; // harmless
      return `${name}: out of order after checkpoint ${previous.size}`;
    }
    if (c.size > tree.size) return 'later';
    if (tree.root(c.size).toString('hex') !== c.root) {
      return `${name}: its root does not match the transactions on the ledger — blocks were altered or removed`;
    }
    return c;
  }
}
