// verifyReceipt: every check of a receipt against keys pinned from outside it, each reported as
// valid / invalid / not checked with the reason and the first record or transaction that fails.
import { canonicalJson } from './canonical.ts';
import {
  checkpointMessage,
  definitionCited,
  invalid,
  notChecked,
  recordInvalid,
  transactionMessage,
  valid,
  witnessMessage,
} from './checks.ts';
import { verifyAgainstCurrent } from './current.ts';
import { isHash } from './encoding.ts';
import { checkInclusion, transactionLeafHash } from './merkle.ts';
import { chainProblem, definitionKey, stepKey } from './records.ts';
import { fingerprint, verifyEd25519 } from './signatures.ts';
import type { Check, CurrentLedger, PinnedKeys, Receipt, ReceiptReport, TxInclusion } from './types.ts';

export interface VerifyOptions {
  /** The ledger as it is now: its checkpoint, a consistency proof and optionally inclusion proofs. */
  current?: CurrentLedger;
  /** Witness co-signatures by distinct pinned organisations required (default 1). */
  minWitnesses?: number;
  /** The organisation whose transactions record steps (default GovflowMSP). */
  engineMspId?: string;
}

/** The checks a valid receipt must pass; the rest may be "not checked" with a reason. */
const CORE = [
  'keys',
  'records-chained',
  'records-in-transactions',
  'transaction-signatures',
  'inclusion-proofs',
  'checkpoint-signature',
  'witnesses',
];

export async function verifyReceipt(
  receipt: Receipt,
  pinned: PinnedKeys,
  options: VerifyOptions = {},
): Promise<ReceiptReport> {
  try {
    return await verifyShaped(receipt, pinned, options);
  } catch (err) {
    // A shape the checks did not foresee (null members, nesting too deep to hash): still a report.
    return {
      valid: false,
      applicationId: String((receipt as { applicationId?: unknown })?.applicationId),
      checks: [
        invalid('receipt-format', `the receipt could not be checked: ${(err as Error)?.message ?? err}`),
        ...CORE.map((c) => notChecked(c, 'the receipt is malformed')),
      ],
    };
  }
}

async function verifyShaped(
  receipt: Receipt,
  pinned: PinnedKeys,
  options: VerifyOptions,
): Promise<ReceiptReport> {
  const shape = shapeProblem(receipt);
  if (shape) {
    const checks = [
      invalid('receipt-format', shape),
      ...CORE.map((c) => notChecked(c, 'the receipt is malformed')),
    ];
    return {
      valid: false,
      applicationId: String((receipt as { applicationId?: unknown })?.applicationId),
      checks,
    };
  }
  // The signature checks start first and run off the main thread (WebCrypto) while the
  // hashing checks run here.
  const engine = options.engineMspId ?? 'GovflowMSP';
  const signatureChecks = Promise.all([
    checkTransactionSignatures(receipt, pinned),
    checkCheckpointSignature(receipt, pinned),
    checkWitnesses(receipt, pinned, options.minWitnesses ?? 1, engine),
  ]);
  const keys = checkKeys(receipt, pinned);
  const chained = checkChain(receipt);
  const written = checkRecordsInTransactions(receipt, engine);
  const included = checkInclusionProofs(receipt);
  const definition = checkDefinition(receipt);
  const [signatures, checkpointSignature, witnesses] = await signatureChecks;
  const checks: Check[] = [
    keys,
    chained,
    written,
    signatures,
    included,
    checkpointSignature,
    witnesses,
    definition,
  ];
  if (options.current) checks.push(...(await verifyAgainstCurrent(receipt, pinned, options.current)));
  const byName = new Map(checks.map((c) => [c.check, c]));
  const ok =
    checks.every((c) => c.status !== 'invalid') && CORE.every((c) => byName.get(c)?.status === 'valid');
  return { valid: ok, applicationId: receipt.applicationId, checks };
}

/** Every transaction the receipt relies on, records' first, then the definition's registration. */
export function inclusionsOf(receipt: Receipt): TxInclusion[] {
  const all = receipt.records.map((r) => r.inclusion);
  if (receipt.definition) all.push(receipt.definition.registration);
  return all;
}

function shapeProblem(r: Receipt): string | null {
  if (r === null || typeof r !== 'object') return 'the receipt is not a JSON object';
  if ((r as { ledger?: { kind?: unknown } }).ledger?.kind === 'fabric')
    return "a Fabric ledger's receipt: check it with verifyFabricReceipt against the channel's trust anchors";
  if (r.format !== 'govflow-receipt/1')
    return `format is ${JSON.stringify(r.format)}, not "govflow-receipt/1"`;
  if (typeof r.applicationId !== 'string') return 'applicationId is missing';
  if (!Array.isArray(r.records)) return 'records is not an array';
  for (const [i, entry] of r.records.entries()) {
    if (!entry?.record || typeof entry.record !== 'object') return `records[${i}].record is missing`;
    if (!isInclusion(entry.inclusion)) return `records[${i}].inclusion is not an inclusion proof`;
  }
  if (r.definition !== null && !isInclusion(r.definition?.registration))
    return 'definition.registration is not an inclusion proof';
  const c = r.checkpoint;
  if (
    !c ||
    typeof c !== 'object' ||
    !Number.isSafeInteger(c.size) ||
    !isHash(c.root) ||
    !Array.isArray(c.witnesses)
  )
    return 'checkpoint is missing its size, root or witnesses';
  return null;
}

function isInclusion(i: TxInclusion | undefined): boolean {
  return (
    !!i &&
    typeof i === 'object' &&
    !!i.tx &&
    typeof i.tx === 'object' &&
    Array.isArray(i.tx.writes) &&
    Array.isArray(i.proof) &&
    [i.blockNumber, i.txIndex, i.leafIndex, i.treeSize].every(Number.isSafeInteger)
  );
}

/** Pinned keys must match their fingerprints; keys the receipt names must be the pinned ones. */
function checkKeys(receipt: Receipt, pinned: PinnedKeys): Check {
  const pinnedAll = [{ mspId: 'the ledger', ...pinned.ledger }, ...pinned.organisations];
  for (const key of pinnedAll) {
    if (fingerprint(key.publicKey) !== key.fingerprint)
      return invalid('keys', `pinned key of ${key.mspId} does not match its fingerprint ${key.fingerprint}`);
  }
  if (receipt.keys?.ledger?.fingerprint !== pinned.ledger.fingerprint)
    return invalid(
      'keys',
      `the receipt names ledger key ${receipt.keys?.ledger?.fingerprint}, but the pinned ledger key is ${pinned.ledger.fingerprint}`,
    );
  for (const org of receipt.keys.organisations ?? []) {
    const mine = pinned.organisations.find((p) => p.mspId === org.mspId);
    if (mine && mine.fingerprint !== org.fingerprint)
      return invalid(
        'keys',
        `the receipt names another key for ${org.mspId} (${org.fingerprint}) than the pinned one`,
      );
  }
  return valid(
    'keys',
    `ledger key ${pinned.ledger.fingerprint.slice(0, 16)}… and organisation keys match the pinned ones`,
  );
}

function checkChain(receipt: Receipt): Check {
  const records = receipt.records.map((r) => r.record);
  if (records.length === 0) return invalid('records-chained', 'the receipt holds no records');
  const problem = chainProblem(receipt.applicationId, records);
  if (problem) return recordInvalid('records-chained', records[problem.index], problem.what);
  return valid(
    'records-chained',
    `${records.length} records, seq 1..${records.length}, hashes and links recomputed`,
  );
}

function checkRecordsInTransactions(receipt: Receipt, engine: string): Check {
  for (const { record, inclusion } of receipt.records) {
    const { tx } = inclusion;
    const fail = (what: string) => recordInvalid('records-in-transactions', record, what);
    if (inclusion.txId !== record.txId || tx.txId !== record.txId)
      return fail(`comes with transaction ${tx.txId}, not its own ${record.txId}`);
    if (tx.valid !== true) return fail('was written by a transaction the ledger marked invalid');
    if (tx.creator?.mspId !== engine)
      return fail(`was submitted by ${tx.creator?.mspId}, not the engine (${engine})`);
    const key = stepKey(record.applicationId, record.elementInstanceId);
    const write = tx.writes.find((w) => w.key === key);
    if (!write) return fail('is not among its transaction’s writes under its step key');
    if (write.value !== canonicalJson(record)) return fail('differs from the value its transaction wrote');
  }
  return valid(
    'records-in-transactions',
    `each record is the value its engine transaction wrote under its step key`,
  );
}

async function checkTransactionSignatures(receipt: Receipt, pinned: PinnedKeys): Promise<Check> {
  const all = inclusionsOf(receipt);
  const results = await Promise.all(
    all.map(({ tx }) => {
      const org = pinned.organisations.find((o) => o.mspId === tx.creator?.mspId);
      if (!org || typeof tx.signature !== 'string') return false;
      return verifyEd25519(org.publicKey, tx.signature, transactionMessage(tx));
    }),
  );
  const bad = results.indexOf(false);
  if (bad >= 0) {
    const { tx } = all[bad];
    const org = pinned.organisations.find((o) => o.mspId === tx.creator?.mspId);
    const why = org
      ? `is not signed by ${tx.creator.mspId}'s pinned key`
      : `names creator ${tx.creator?.mspId}, whose key is not pinned`;
    const record = receipt.records[bad]?.record;
    if (record) return recordInvalid('transaction-signatures', record, `: its transaction ${why}`);
    return invalid('transaction-signatures', `definition registration tx ${tx.txId} ${why}`, {
      txId: tx.txId,
    });
  }
  return valid('transaction-signatures', `${all.length} transactions signed by their creator organisations`);
}

function checkInclusionProofs(receipt: Receipt): Check {
  const { checkpoint } = receipt;
  const all = inclusionsOf(receipt);
  for (const [index, inc] of all.entries()) {
    let problem: string | null =
      inc.treeSize !== checkpoint.size
        ? `proves inclusion in a tree of ${inc.treeSize} leaves, not the checkpoint's ${checkpoint.size}`
        : inc.blockNumber > checkpoint.blockNumber
          ? `is in block ${inc.blockNumber}, after the checkpoint's last block ${checkpoint.blockNumber}`
          : null;
    problem ??= checkInclusion(
      inc.leafIndex,
      checkpoint.size,
      transactionLeafHash(inc.blockNumber, inc.txIndex, inc.tx),
      inc.proof,
      checkpoint.root,
    );
    if (problem) {
      const record = receipt.records[index]?.record;
      if (record)
        return recordInvalid('inclusion-proofs', record, `: its transaction's inclusion proof ${problem}`);
      return invalid('inclusion-proofs', `definition registration tx ${inc.txId}: ${problem}`, {
        txId: inc.txId,
      });
    }
  }
  return valid(
    'inclusion-proofs',
    `${all.length} transactions included in the checkpoint's tree of ${checkpoint.size} (root ${checkpoint.root.slice(0, 16)}…)`,
  );
}

async function checkCheckpointSignature(receipt: Receipt, pinned: PinnedKeys): Promise<Check> {
  const c = receipt.checkpoint;
  if (c.format !== 'govflow-checkpoint/1')
    return invalid('checkpoint-signature', `checkpoint format is ${c.format}`);
  if (c.ledgerKey !== pinned.ledger.fingerprint)
    return invalid(
      'checkpoint-signature',
      `the checkpoint names ledger key ${c.ledgerKey}, not the pinned one`,
    );
  if (!(await verifyEd25519(pinned.ledger.publicKey, c.signature, checkpointMessage(c))))
    return invalid(
      'checkpoint-signature',
      `checkpoint of size ${c.size} is not signed by the pinned ledger key`,
    );
  return valid(
    'checkpoint-signature',
    `checkpoint of size ${c.size} (block ${c.blockNumber}, ${c.timestamp}) signed by the ledger key`,
  );
}

async function checkWitnesses(
  receipt: Receipt,
  pinned: PinnedKeys,
  required: number,
  engine: string,
): Promise<Check> {
  const c = receipt.checkpoint;
  const message = witnessMessage(c);
  const orgOf = (mspId: string) => pinned.organisations.find((o) => o.mspId === mspId);
  // All signatures at once: WebCrypto verifies them in parallel.
  const verified = await Promise.all(
    c.witnesses.map((w) => {
      const org = orgOf(w?.mspId);
      return org ? verifyEd25519(org.publicKey, w.signature, message) : false;
    }),
  );
  const signers = new Set<string>();
  for (const [i, w] of c.witnesses.entries()) {
    const org = orgOf(w?.mspId);
    if (!org) return invalid('witnesses', `witness ${w?.mspId} is not a pinned organisation`);
    // The engine's key sits with the ledger's: its co-signature adds nothing the ledger key lacks.
    if (w.mspId === engine)
      return invalid(
        'witnesses',
        `witness ${w.mspId} runs the engine that writes this ledger: it cannot witness it`,
      );
    if (w.keyFingerprint !== org.fingerprint)
      return invalid('witnesses', `witness ${w.mspId} names key ${w.keyFingerprint}, not its pinned key`);
    if (!verified[i])
      return invalid('witnesses', `witness ${w.mspId}'s co-signature does not verify with its pinned key`);
    signers.add(w.mspId);
  }
  const names = [...signers].join(', ') || 'none';
  if (signers.size < required)
    return invalid('witnesses', `${signers.size} organisations co-signed (${names}); ${required} required`);
  return valid(
    'witnesses',
    `${signers.size} of ${pinned.organisations.length} pinned organisations co-signed: ${names}`,
  );
}

function checkDefinition(receipt: Receipt): Check {
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
  const { tx } = def.registration;
  const write = tx.writes.find((w) => w.key === definitionKey(def.key, def.version));
  let stored: Record<string, unknown> | undefined;
  try {
    stored = write?.value ? JSON.parse(write.value) : undefined;
  } catch {}
  if (!stored || tx.valid !== true)
    return invalid('definition', `tx ${tx.txId} does not register ${def.key} v${def.version}`, {
      txId: tx.txId,
    });
  for (const field of ['key', 'version', 'hash', 'modelHash'] as const) {
    if (stored[field] !== def[field])
      return invalid(
        'definition',
        `the registration's ${field} is ${stored[field]}, the receipt says ${def[field]}`,
        {
          txId: tx.txId,
        },
      );
  }
  return definitionCited(receipt.records, def, tx.txId);
}
