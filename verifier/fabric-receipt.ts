// verifyFabricReceipt: a receipt from a Fabric ledger checked offline against the channel's trust
// anchors (fabric-trust.ts) pinned from outside it. Each record comes with the block holding the
// transaction that wrote it, as the peer stores it; the checks redo what Fabric's own validation
// did for that transaction, from the bytes: the block's data hash and its orderer signature, the
// creator's signature, every endorsement, the endorsing organisations, and the written value.
import { invalid, notChecked, valid } from './checks.ts';
import { fromBase64 } from './encoding.ts';
import { type Block, decodeBlock, decodeEndorserTransaction } from './fabric-block.ts';
import {
  checkChain,
  checkCreators,
  checkDataHashes,
  checkDefinition,
  checkEndorsements,
  checkOrdererSignatures,
  checkPolicy,
  checkValidity,
  checkWritten,
  type Entry,
} from './fabric-checks.ts';
import { type FabricTrust, trustFingerprint } from './fabric-trust.ts';
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

export const isFabricReceipt = (r: unknown): r is FabricReceipt =>
  (r as FabricReceipt)?.ledger?.kind === 'fabric';

export async function verifyFabricReceipt(
  receipt: FabricReceipt,
  pinned: PinnedFabricTrust,
): Promise<ReceiptReport> {
  try {
    return await verifyShaped(receipt, pinned);
  } catch (err) {
    // A shape the checks did not foresee: still a report, never an exception.
    return malformedReport(receipt, `the receipt could not be checked: ${(err as Error)?.message ?? err}`);
  }
}

const malformedReport = (receipt: FabricReceipt, why: string): ReceiptReport => ({
  valid: false,
  applicationId: String(receipt?.applicationId),
  checks: [invalid('receipt-format', why), ...CORE.map((c) => notChecked(c, 'the receipt is malformed'))],
});

async function verifyShaped(receipt: FabricReceipt, pinned: PinnedFabricTrust): Promise<ReceiptReport> {
  const applicationId = String(receipt?.applicationId);
  const malformed = (why: string) => malformedReport(receipt, why);
  if (!pinned || typeof pinned !== 'object' || typeof pinned.fingerprint !== 'string')
    return malformed('no channel trust anchors were pinned (a trust document or its fingerprint)');
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
  if (r.ledger?.kind !== 'fabric') return 'ledger.kind is not "fabric"';
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
