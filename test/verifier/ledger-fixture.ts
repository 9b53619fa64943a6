// A small ledger built in the test: signed transactions in blocks, an RFC 6962 tree over them
// (written here from the RFC's recursive definitions, independently of the verifier's iterative
// checks), signed checkpoints, witnesses, and a receipt for one application. Options let a test
// forge one piece while everything else stays consistent, so exactly one check should fail.
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { canonicalJson } from '../../chaincode/src/canonical.ts';
import { buildStepRecord, type StepRecord } from '../../chaincode/src/step-record.ts';
import { keyFingerprint, publicKeyBase64 } from '../../ledger/keys.ts';
import type {
  PinnedKeys,
  Receipt,
  SignedCheckpoint,
  Transaction,
  TxInclusion,
} from '../../verifier/index.ts';

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const largestPowerOfTwoBelow = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** RFC 6962 MTH over leaf hashes. */
export function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0];
  const k = largestPowerOfTwoBelow(leaves.length);
  return sha(Uint8Array.of(1), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** RFC 6962 PATH(m, D[n]). */
export function auditPath(m: number, leaves: Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...auditPath(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

/** RFC 6962 PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
export function consistencyProof(m: number, leaves: Uint8Array[]): Uint8Array[] {
  const sub = (m: number, d: Uint8Array[], b: boolean): Uint8Array[] => {
    if (m === d.length) return b ? [] : [mth(d)];
    const k = largestPowerOfTwoBelow(d.length);
    return m <= k
      ? [...sub(m, d.slice(0, k), b), mth(d.slice(k))]
      : [...sub(m - k, d.slice(k), false), mth(d.slice(0, k))];
  };
  return m === 0 ? [] : sub(m, leaves, true);
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const leafOf = (blockNumber: number, txIndex: number, tx: Transaction) =>
  sha(Uint8Array.of(0), new TextEncoder().encode(canonicalJson({ blockNumber, txIndex, tx })));

export interface Party {
  mspId: string;
  key: KeyObject;
}
const party = (mspId: string): Party => ({ mspId, key: generateKeyPairSync('ed25519').privateKey });
const published = (p: Party) => ({ publicKey: publicKeyBase64(p.key), fingerprint: keyFingerprint(p.key) });

export interface Keys {
  ledger: Party;
  orgs: Record<string, Party>;
}
export function makeKeys(): Keys {
  const orgs = Object.fromEntries(
    ['GovflowMSP', 'LandRegistryMSP', 'TaxBureauMSP'].map((m) => [m, party(m)]),
  ) as Record<string, Party>;
  return { ledger: party('ledger'), orgs };
}
export const pinnedKeys = (keys: Keys): PinnedKeys => ({
  ledger: published(keys.ledger),
  organisations: Object.values(keys.orgs).map((o) => ({ mspId: o.mspId, ...published(o) })),
});

export type TxDraft = Omit<Transaction, 'signature' | 'writes' | 'creator' | 'valid'> & {
  writes: { key: string; value: string | null }[];
  creator: { mspId: string; id: string };
  valid: boolean;
};

export function signTx(tx: TxDraft, by: Party): Transaction {
  const { valid: _v, ...signed } = tx;
  return {
    ...tx,
    signature: sign(null, Buffer.from(canonicalJson(signed)), by.key).toString('base64'),
  } as Transaction;
}

export function signCheckpoint(
  size: number,
  root: string,
  blockNumber: number,
  ledger: Party,
  witnesses: Party[],
): SignedCheckpoint {
  const body = {
    format: 'govflow-checkpoint/1' as const,
    ledgerKey: keyFingerprint(ledger.key),
    size,
    root,
    blockNumber,
    timestamp: '2026-01-02T03:04:05.000Z',
  };
  const witnessText = Buffer.from(canonicalJson({ format: 'govflow-witness/1', checkpoint: body }));
  return {
    ...body,
    signature: sign(null, Buffer.from(canonicalJson(body)), ledger.key).toString('base64'),
    witnesses: witnesses.map((w) => ({
      mspId: w.mspId,
      keyFingerprint: keyFingerprint(w.key),
      signature: sign(null, witnessText, w.key).toString('base64'),
    })),
  };
}

export interface Forgery {
  /** Changes a transaction before it is signed ('definition', 'record:<seq>', 'noise:<n>'). */
  tx?: (tx: TxDraft, role: string) => void;
  /** Who signs a transaction (default its creator). */
  signer?: (role: string, creator: string) => string;
  /** Changes the records before their transactions are made. */
  records?: (records: StepRecord[]) => StepRecord[];
  /** The checkpoint's signer (default the ledger key). */
  checkpointSigner?: Party;
  witnesses?: Party[];
}

export const APP = 'app-00000000000000aa';
const DEF_HASH = 'd'.repeat(64);

function baseTx(txId: string, mspId: string, fn: string, writes: Transaction['writes']) {
  return {
    txId,
    fn,
    argsHash: 'a'.repeat(64),
    creator: { mspId, id: `${mspId}-user` },
    timestamp: '2026-01-02T03:04:05.000Z',
    reads: [],
    ranges: [],
    writes,
    events: [],
    valid: true,
  };
}

/** The ledger's leaves: { blockNumber, txIndex, tx } in commit order. */
export type Leaf = { blockNumber: number; txIndex: number; tx: Transaction; role: string };

export function buildLedger(keys: Keys, forgery: Forgery = {}, records = 3, noiseAfter = 5): Leaf[] {
  const leaves: Leaf[] = [];
  let block = 0;
  const push = (role: string, tx: ReturnType<typeof baseTx>, sameBlock = false) => {
    forgery.tx?.(tx, role);
    const signer = forgery.signer?.(role, tx.creator.mspId) ?? tx.creator.mspId;
    if (!sameBlock) block++;
    const txIndex = sameBlock ? leaves.filter((l) => l.blockNumber === block).length : 0;
    leaves.push({ blockNumber: block, txIndex, tx: signTx(tx, keys.orgs[signer]), role });
  };
  leaves.push({
    blockNumber: 0,
    txIndex: 0,
    tx: signTx(baseTx('config', 'GovflowMSP', 'config', []), keys.orgs.GovflowMSP),
    role: 'config',
  });
  const defRecord = { key: 'property-registration', version: 1, hash: DEF_HASH, deployer: 'dana' };
  push(
    'definition',
    baseTx('tx-def', 'GovflowMSP', 'RegisterDefinition', [
      {
        key: '\u0000definition\u0000property-registration\u000000000001\u0000',
        value: canonicalJson(defRecord),
      },
    ]),
  );
  let chain: StepRecord[] = [];
  for (let seq = 1; seq <= records; seq++) {
    const input = {
      applicationId: APP,
      elementId: `Task_${seq}`,
      elementInstanceId: `ei-${seq}`,
      actor: seq === 2 ? 'contract:title-clear' : 'engine',
      decision: 'approve',
      dataHash: 'e'.repeat(64),
      definitionKey: 'property-registration',
      definitionHash: DEF_HASH,
    };
    const previous = chain.at(-1);
    chain.push(
      buildStepRecord(input, previous ? { seq: previous.seq, hash: previous.hash } : null, {
        txId: `tx-rec-${seq}`,
        timestamp: '2026-01-02T03:04:05.000Z',
      }),
    );
  }
  chain = forgery.records?.(chain) ?? chain;
  chain.forEach((record, i) => {
    push(
      'noise:before',
      baseTx(`tx-noise-${i}`, 'LandRegistryMSP', 'PutFact', [{ key: `fact${i}`, value: '{}' }]),
    );
    push(
      `record:${i + 1}`,
      baseTx(record.txId, 'GovflowMSP', 'RecordStep', [
        {
          key: `\u0000step\u0000${APP}\u0000${record.elementInstanceId}\u0000`,
          value: canonicalJson(record),
        },
        { key: `\u0000head\u0000${APP}\u0000`, value: canonicalJson({ seq: record.seq, hash: record.hash }) },
      ]),
      i === 1, // the second record shares a block with the noise before it
    );
  });
  for (let n = 0; n < noiseAfter; n++)
    push(`noise:${n}`, baseTx(`tx-after-${n}`, 'TaxBureauMSP', 'PutFact', [{ key: `tax${n}`, value: '{}' }]));
  return leaves;
}

export function checkpointOf(keys: Keys, leaves: Leaf[], forgery: Forgery = {}): SignedCheckpoint {
  const root = hex(mth(leaves.map((l) => leafOf(l.blockNumber, l.txIndex, l.tx))));
  const witnesses = forgery.witnesses ?? [keys.orgs.LandRegistryMSP, keys.orgs.TaxBureauMSP];
  return signCheckpoint(
    leaves.length,
    root,
    leaves.at(-1)!.blockNumber,
    forgery.checkpointSigner ?? keys.ledger,
    witnesses,
  );
}

export function inclusionOf(leaves: Leaf[], txId: string, size = leaves.length): TxInclusion | null {
  const leafIndex = leaves.findIndex((l) => l.tx.txId === txId);
  if (leafIndex < 0 || leafIndex >= size) return null;
  const hashes = leaves.slice(0, size).map((l) => leafOf(l.blockNumber, l.txIndex, l.tx));
  const { blockNumber, txIndex, tx } = leaves[leafIndex];
  return {
    txId,
    blockNumber,
    txIndex,
    leafIndex,
    treeSize: size,
    tx,
    proof: auditPath(leafIndex, hashes).map(hex),
  };
}

/** A receipt for APP over the whole ledger. */
export function receiptOf(keys: Keys, leaves: Leaf[], forgery: Forgery = {}): Receipt {
  const records = leaves
    .filter((l) => l.role.startsWith('record:'))
    .map((l) => ({
      record: JSON.parse(l.tx.writes[0].value!) as StepRecord,
      inclusion: inclusionOf(leaves, l.tx.txId)!,
    }));
  const def = leaves.find((l) => l.role === 'definition')!;
  const defRecord = JSON.parse(def.tx.writes[0].value!);
  return {
    format: 'govflow-receipt/1',
    applicationId: APP,
    issuedAt: '2026-01-02T03:04:06.000Z',
    definition: {
      key: defRecord.key,
      version: defRecord.version,
      hash: defRecord.hash,
      registration: inclusionOf(leaves, def.tx.txId)!,
    },
    records: records as Receipt['records'],
    checkpoint: checkpointOf(keys, leaves, forgery),
    keys: pinnedKeys(keys),
  };
}

/** The ledger as it is now, seen from a receipt over `size` leaves: checkpoint and proofs. */
export function currentOf(keys: Keys, leaves: Leaf[], receipt: Receipt, forgery: Forgery = {}) {
  const hashes = leaves.map((l) => leafOf(l.blockNumber, l.txIndex, l.tx));
  const txIds = [...receipt.records.map((r) => r.record.txId), receipt.definition!.registration.txId];
  return {
    checkpoint: checkpointOf(keys, leaves, forgery),
    consistency:
      receipt.checkpoint.size <= leaves.length
        ? consistencyProof(receipt.checkpoint.size, hashes).map(hex)
        : [],
    inclusions: Object.fromEntries(txIds.map((id) => [id, inclusionOf(leaves, id)])),
  };
}
