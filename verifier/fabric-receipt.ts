// verifyFabricReceipt: a receipt from a Fabric ledger checked offline against the channel's trust
// anchors (fabric-trust.ts) pinned from outside it. Each record comes with the block holding the
// transaction that wrote it, as the peer stores it; the checks redo what Fabric's own validation
// did for that transaction, from the bytes: the block's data hash and its orderer signature, the
// creator's signature, every endorsement, the endorsing organisations, and the written value.
import { canonicalJson } from './canonical.ts';
import { invalid, notChecked, recordInvalid, valid } from './checks.ts';
import { blockHeaderBytes } from './der.ts';
import { verifyEcdsa } from './ecdsa.ts';
import { fromBase64, toHex } from './encoding.ts';
import {
  type Block,
  blockDataHash,
  dataFramingProblem,
  decodeBlock,
  decodeEndorserTransaction,
  ENDORSER_TRANSACTION,
  type EndorserTransaction,
  ordererSignatures,
  VALID,
  validationCode,
  writtenText,
} from './fabric-block.ts';
import { type FabricTrust, identityKey, identityProblem, trustFingerprint } from './fabric-trust.ts';
import { concatBytes } from './protobuf.ts';
import { chainProblem, definitionKey, stepKey } from './records.ts';
import type { Check, ReceiptReport, StepRecord } from './types.ts';

/** Where a transaction is: its block (a key of `blocks`) and its index in the block's data. */
export interface FabricTxRef {
  txId: string;
  blockNumber: number;
  txIndex: number;
}

export interface FabricReceipt {
  format: 'govflow-receipt/1';
  applicationId: string;
  issuedAt: string;
  /** The anchors the issuer used; a verifier accepts them only by a pinned fingerprint. */
  ledger: { kind: 'fabric'; trust: FabricTrust };
  definition: {
    key: string;
    version: number;
    hash: string;
    modelHash?: string;
    registration: FabricTxRef;
  } | null;
  records: { record: StepRecord; transaction: FabricTxRef }[];
  /** Block number → the block as the peer stores it (protobuf common.Block), base64. */
  blocks: Record<string, string>;
}

/** The channel's trust document, or only its fingerprint (then the receipt's copy must match it). */
export type PinnedFabricTrust = FabricTrust | { fingerprint: string };

const CORE = [
  'trust',
  'records-chained',
  'block-data-hash',
  'orderer-signatures',
  'transactions-valid',
  'creator-signatures',
  'endorsements',
  'endorsement-policy',
  'records-in-transactions',
];

/** One transaction the receipt relies on, with what it is there for. */
interface Entry {
  ref: FabricTxRef;
  record?: StepRecord;
  block?: Block;
  tx?: EndorserTransaction;
  problem?: string;
}

export const isFabricReceipt = (r: unknown): r is FabricReceipt =>
  (r as FabricReceipt)?.ledger?.kind === 'fabric';

export async function verifyFabricReceipt(
  receipt: FabricReceipt,
  pinned: PinnedFabricTrust,
): Promise<ReceiptReport> {
  const applicationId = String(receipt?.applicationId);
  const malformed = (why: string): ReceiptReport => ({
    valid: false,
    applicationId,
    checks: [invalid('receipt-format', why), ...CORE.map((c) => notChecked(c, 'the receipt is malformed'))],
  });
  const shape = shapeProblem(receipt);
  if (shape) return malformed(shape);
  const { check: trustCheck, trust } = checkTrust(receipt, pinned);
  if (!trust)
    return {
      valid: false,
      applicationId,
      checks: [trustCheck, ...CORE.slice(1).map((c) => notChecked(c, 'no trusted channel configuration'))],
    };
  let entries: Entry[];
  try {
    entries = locate(receipt);
  } catch (err) {
    return malformed(`the receipt could not be read: ${(err as Error).message}`);
  }
  const [orderers, creators, endorsements] = await Promise.all([
    checkOrdererSignatures(entries, trust),
    checkCreators(entries, trust),
    checkEndorsements(entries, trust),
  ]);
  const checks: Check[] = [
    trustCheck,
    checkChain(receipt),
    checkDataHashes(entries),
    orderers,
    checkValidity(entries, trust),
    creators,
    endorsements,
    await checkPolicy(entries, trust),
    checkWritten(entries, trust),
    checkDefinition(receipt, entries, trust),
  ];
  const byName = new Map(checks.map((c) => [c.check, c]));
  const ok =
    checks.every((c) => c.status !== 'invalid') && CORE.every((c) => byName.get(c)?.status === 'valid');
  return { valid: ok, applicationId, checks };
}

function shapeProblem(r: FabricReceipt): string | null {
  if (r === null || typeof r !== 'object') return 'the receipt is not a JSON object';
  if (r.format !== 'govflow-receipt/1')
    return `format is ${JSON.stringify(r.format)}, not "govflow-receipt/1"`;
  if (typeof r.applicationId !== 'string') return 'applicationId is missing';
  if (!r.blocks || typeof r.blocks !== 'object') return 'blocks is missing';
  if (!Array.isArray(r.records)) return 'records is not an array';
  const isRef = (t: FabricTxRef | undefined) =>
    !!t &&
    typeof t.txId === 'string' &&
    Number.isSafeInteger(t.blockNumber) &&
    Number.isSafeInteger(t.txIndex);
  for (const [i, entry] of r.records.entries()) {
    if (!entry?.record || typeof entry.record !== 'object') return `records[${i}].record is missing`;
    if (!isRef(entry.transaction)) return `records[${i}].transaction is not a transaction reference`;
  }
  if (r.definition !== null && !isRef(r.definition?.registration))
    return 'definition.registration is not a transaction reference';
  return null;
}

function checkTrust(
  receipt: FabricReceipt,
  pinned: PinnedFabricTrust,
): { check: Check; trust?: FabricTrust } {
  const fail = (why: string, trust?: FabricTrust) => ({ check: invalid('trust', why), trust });
  const carried = receipt.ledger.trust;
  const fingerprintOf = (t: FabricTrust) => {
    try {
      return trustFingerprint(t);
    } catch {
      return null;
    }
  };
  if ('organisations' in pinned) {
    if (fingerprintOf(pinned) !== pinned.fingerprint)
      return fail(`the pinned trust document does not match its fingerprint ${pinned.fingerprint}`);
    // The pinned anchors are used either way, so the other checks say what a swap would break.
    if (carried?.fingerprint !== pinned.fingerprint)
      return fail(
        `the receipt names channel anchors ${carried?.fingerprint}, but the pinned ones are ${pinned.fingerprint}`,
        pinned,
      );
    return { check: valid('trust', describeTrust(pinned)), trust: pinned };
  }
  if (!carried || fingerprintOf(carried) !== carried.fingerprint)
    return fail("the receipt's channel anchors do not match their own fingerprint");
  if (carried.fingerprint !== pinned.fingerprint)
    return fail(
      `the receipt's channel anchors have fingerprint ${carried.fingerprint}, not the pinned ${pinned.fingerprint}`,
    );
  return { check: valid('trust', describeTrust(carried)), trust: carried };
}

const describeTrust = (t: FabricTrust) =>
  `channel ${t.channel}, chaincode ${t.chaincode}: ${t.organisations.length} organisations' roots match the pinned fingerprint ${t.fingerprint.slice(0, 16)}…`;

/** Decodes each referenced block once and each transaction; a problem stays with its entry. */
function locate(receipt: FabricReceipt): Entry[] {
  const blocks = new Map<number, Block | string>();
  const blockOf = (n: number): Block | string => {
    if (!blocks.has(n)) {
      const text = receipt.blocks[String(n)];
      let found: Block | string;
      try {
        found = typeof text === 'string' ? decodeBlock(fromBase64(text)) : `block ${n} is not in the receipt`;
        if (typeof found !== 'string' && found.number !== BigInt(n))
          found = `block ${n}'s header says ${found.number}`;
      } catch (err) {
        found = `block ${n} does not decode: ${(err as Error).message}`;
      }
      blocks.set(n, found);
    }
    return blocks.get(n) as Block | string;
  };
  const refs: { ref: FabricTxRef; record?: StepRecord }[] = receipt.records.map((r) => ({
    ref: r.transaction,
    record: r.record,
  }));
  if (receipt.definition) refs.push({ ref: receipt.definition.registration });
  return refs.map(({ ref, record }) => {
    const block = blockOf(ref.blockNumber);
    if (typeof block === 'string') return { ref, record, problem: block };
    const data = block.data[ref.txIndex];
    if (!data)
      return { ref, record, block, problem: `block ${ref.blockNumber} has no transaction ${ref.txIndex}` };
    try {
      return { ref, record, block, tx: decodeEndorserTransaction(data) };
    } catch (err) {
      return {
        ref,
        record,
        block,
        problem: `transaction ${ref.txIndex} of block ${ref.blockNumber} does not decode: ${(err as Error).message}`,
      };
    }
  });
}

/** An invalid check naming the entry's record, or the definition registration. */
function entryInvalid(check: string, entry: Entry, what: string): Check {
  if (entry.record) {
    const c = recordInvalid(check, entry.record, '');
    return { ...c, detail: `${c.detail.trimEnd()}: ${what}` };
  }
  return invalid(check, `definition registration tx ${entry.ref.txId}: ${what}`, { txId: entry.ref.txId });
}

function firstProblem(
  check: string,
  entries: Entry[],
  problem: (e: Entry) => string | null,
  ok: string,
): Check {
  for (const entry of entries) {
    const what = entry.problem ?? problem(entry);
    if (what) return entryInvalid(check, entry, what);
  }
  return valid(check, ok);
}

async function firstProblemAsync(
  check: string,
  entries: Entry[],
  problem: (e: Entry) => Promise<string | null>,
  ok: string,
): Promise<Check> {
  const found = await Promise.all(entries.map((e) => (e.problem ? e.problem : problem(e))));
  const index = found.findIndex((f) => f !== null);
  if (index < 0) return valid(check, ok);
  return entryInvalid(check, entries[index], found[index] as string);
}

function checkChain(receipt: FabricReceipt): Check {
  const records = receipt.records.map((r) => r.record);
  if (records.length === 0) return invalid('records-chained', 'the receipt holds no records');
  const problem = chainProblem(receipt.applicationId, records);
  if (problem) return recordInvalid('records-chained', records[problem.index], problem.what);
  return valid(
    'records-chained',
    `${records.length} records, seq 1..${records.length}, hashes and links recomputed`,
  );
}

function checkDataHashes(entries: Entry[]): Check {
  const seen = new Set<Block>();
  return firstProblem(
    'block-data-hash',
    entries,
    ({ block, ref }) => {
      if (!block || seen.has(block)) return null;
      seen.add(block);
      const framing = dataFramingProblem(block);
      if (framing) return `block ${ref.blockNumber}'s data is malformed (${framing})`;
      if (toHex(blockDataHash(block)) !== toHex(block.dataHash))
        return `block ${ref.blockNumber}'s data does not hash to its header's data hash`;
      return null;
    },
    `${new Set(entries.map((e) => e.ref.blockNumber)).size} blocks: data hashed to their headers' data hash`,
  );
}

async function checkOrdererSignatures(entries: Entry[], trust: FabricTrust): Promise<Check> {
  const byBlock = new Map<Block, Promise<string | null>>();
  return firstProblemAsync(
    'orderer-signatures',
    entries,
    (entry) => {
      const { block, tx } = entry;
      if (!block || !tx) return Promise.resolve(null);
      let result = byBlock.get(block);
      if (!result) {
        result = blockSignatureProblem(block, trust, tx.timestamp);
        byBlock.set(block, result);
      }
      return result.then((p) => (p ? `block ${entry.ref.blockNumber}: ${p}` : null));
    },
    'every block is signed by an orderer of the channel',
  );
}

async function blockSignatureProblem(block: Block, trust: FabricTrust, at: Date): Promise<string | null> {
  let signatures: ReturnType<typeof ordererSignatures>;
  try {
    signatures = ordererSignatures(block, blockHeaderBytes(block.number, block.previousHash, block.dataHash));
  } catch (err) {
    return `its signature metadata does not decode (${(err as Error).message})`;
  }
  if (signatures.length === 0) return 'it carries no orderer signature';
  for (const sig of signatures) {
    const who = await identityProblem(trust, sig.signer, 'orderer', at);
    if (who) return `its signer: ${who}`;
    const key = identityKey(sig.signer);
    if (!key || !(await verifyEcdsa(key, sig.signature, sig.signed)))
      return `the signature of ${sig.signer.mspId} does not verify over the block header`;
  }
  return null;
}

function checkValidity(entries: Entry[], trust: FabricTrust): Check {
  return firstProblem(
    'transactions-valid',
    entries,
    ({ tx, block, ref }) => {
      if (!tx || !block) return null;
      if (tx.txId !== ref.txId)
        return `the block's transaction ${ref.txIndex} is ${tx.txId}, not ${ref.txId}`;
      if (tx.type !== ENDORSER_TRANSACTION) return `is not an endorser transaction (type ${tx.type})`;
      if (tx.channel !== trust.channel) return `is on channel ${tx.channel}, not ${trust.channel}`;
      if (tx.chaincode !== trust.chaincode)
        return `invokes chaincode ${tx.chaincode}, not ${trust.chaincode}`;
      const code = validationCode(block, ref.txIndex);
      if (code !== VALID) return `the peer flagged its transaction invalid (validation code ${code})`;
      return null;
    },
    `every transaction is an endorser transaction of ${trust.chaincode} on ${trust.channel}, flagged VALID`,
  );
}

async function checkCreators(entries: Entry[], trust: FabricTrust): Promise<Check> {
  return firstProblemAsync(
    'creator-signatures',
    entries,
    async ({ tx }) => {
      if (!tx) return null;
      if (tx.creator.mspId !== trust.engineMspId)
        return `was submitted by ${tx.creator.mspId}, not the engine (${trust.engineMspId})`;
      const who = await identityProblem(trust, tx.creator, null, tx.timestamp);
      if (who) return `its submitter: ${who}`;
      const key = identityKey(tx.creator);
      if (!key || !(await verifyEcdsa(key, tx.signature, tx.payload)))
        return `its submitter's signature does not verify`;
      return null;
    },
    `every transaction is signed by a member of ${trust.engineMspId}`,
  );
}

async function checkEndorsements(entries: Entry[], trust: FabricTrust): Promise<Check> {
  return firstProblemAsync(
    'endorsements',
    entries,
    async ({ tx }) => {
      if (!tx) return null;
      if (tx.endorsements.length === 0) return 'carries no endorsement';
      for (const [i, e] of tx.endorsements.entries()) {
        const who = await identityProblem(trust, e.endorser, 'peer', tx.timestamp);
        if (who) return `endorsement ${i}: ${who}`;
        const key = identityKey(e.endorser);
        const signed = concatBytes([tx.proposalResponsePayload, e.endorser.raw]);
        if (!key || !(await verifyEcdsa(key, e.signature, signed)))
          return `endorsement ${i} by ${e.endorser.mspId}: the signature does not verify`;
      }
      return null;
    },
    'every endorsement is signed by a peer of its organisation over the transaction’s results',
  );
}

/** Registry names of the facts the transaction read (composite keys U+0000 fact U+0000 <registry> …). */
function registriesRead(tx: EndorserTransaction, chaincode: string): Set<string> {
  const out = new Set<string>();
  for (const ns of tx.namespaces)
    if (ns.namespace === chaincode)
      for (const key of ns.reads) if (key.startsWith('\u0000fact\u0000')) out.add(key.split('\u0000')[2]);
  return out;
}

async function checkPolicy(entries: Entry[], trust: FabricTrust): Promise<Check> {
  let rules = 0;
  const check = await firstProblemAsync(
    'endorsement-policy',
    entries,
    async ({ tx, record }) => {
      if (!tx) return null;
      const required = new Set([trust.engineMspId]);
      // A decision the contract took needs every organisation whose facts it read.
      if (record && /^(contract|decision):/.test(String(record.actor))) {
        rules++;
        for (const registry of registriesRead(tx, trust.chaincode)) {
          const owner = trust.registryOwners[registry];
          if (!owner)
            return `read facts of registry ${registry}, which has no owner in the pinned configuration`;
          required.add(owner);
        }
      }
      const endorsed = new Set(tx.endorsements.map((e) => e.endorser.mspId));
      const missing = [...required].filter((m) => !endorsed.has(m));
      if (missing.length > 0)
        return `lacks an endorsement by ${missing.join(', ')} (endorsed by ${[...endorsed].join(', ') || 'none'})`;
      return null;
    },
    '',
  );
  if (check.status === 'valid')
    check.detail = `every transaction endorsed by ${trust.engineMspId}; ${rules} contract decisions also by the owners of the facts they read`;
  return check;
}

function checkWritten(entries: Entry[], trust: FabricTrust): Check {
  return firstProblem(
    'records-in-transactions',
    entries,
    ({ tx, record }) => {
      if (!tx || !record) return null;
      if (record.txId !== tx.txId) return `comes with transaction ${tx.txId}, not its own ${record.txId}`;
      const key = stepKey(record.applicationId, record.elementInstanceId);
      const write = tx.namespaces
        .filter((ns) => ns.namespace === trust.chaincode)
        .flatMap((ns) => ns.writes)
        .find((w) => w.key === key);
      if (!write || write.isDelete) return 'is not among its transaction’s writes under its step key';
      if (writtenText(write.value) !== canonicalJson(record))
        return 'differs from the value its transaction wrote';
      return null;
    },
    'each record is the value its transaction wrote under its step key',
  );
}

function checkDefinition(receipt: FabricReceipt, entries: Entry[], trust: FabricTrust): Check {
  const def = receipt.definition;
  const citing = receipt.records.filter((r) => r.record.definitionHash !== undefined);
  if (!def) {
    if (citing.length === 0) return notChecked('definition', 'no record names a definition');
    return recordInvalid(
      'definition',
      citing[0].record,
      'names a definition, but the receipt has no registration',
    );
  }
  const entry = entries[entries.length - 1];
  const fail = (why: string) => invalid('definition', why, { txId: def.registration.txId });
  const write = entry.tx?.namespaces
    .filter((ns) => ns.namespace === trust.chaincode)
    .flatMap((ns) => ns.writes)
    .find((w) => w.key === definitionKey(def.key, def.version));
  let stored: Record<string, unknown> | undefined;
  try {
    stored = write && !write.isDelete ? JSON.parse(writtenText(write.value) ?? '') : undefined;
  } catch {}
  if (!stored) return fail(`tx ${def.registration.txId} does not register ${def.key} v${def.version}`);
  for (const field of ['key', 'version', 'hash', 'modelHash'] as const)
    if (stored[field] !== def[field])
      return fail(`the registration's ${field} is ${stored[field]}, the receipt says ${def[field]}`);
  for (const { record } of receipt.records) {
    if (record.definitionKey !== undefined && record.definitionKey !== def.key)
      return recordInvalid('definition', record, `names definition ${record.definitionKey}, not ${def.key}`);
    if (
      record.definitionHash !== undefined &&
      record.definitionHash !== def.hash &&
      record.definitionHash !== def.modelHash
    )
      return recordInvalid(
        'definition',
        record,
        `cites definition hash ${record.definitionHash}, not the registered one`,
      );
  }
  return valid(
    'definition',
    `${def.key} v${def.version} (hash ${def.hash.slice(0, 16)}…) registered in tx ${def.registration.txId.slice(0, 12)}…, cited by ${citing.length} records`,
  );
}
