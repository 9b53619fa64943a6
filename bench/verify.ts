// Receipt verification: receipts verified per second, ms per receipt and proof sizes, for ledgers
// of 10k and 100k transactions. Proofs grow with log2(ledger size), so the time per receipt
// should barely move between the two.
// Run: npx tsx bench/verify.ts [--sizes 10000,100000] [--records 8] [--rounds 300] [--fabric <network dir>]
// --fabric adds a Fabric receipt of --records steps from a running network (bench/verify-fabric.ts).
// The ledgers are real signed transactions (Ed25519 by their organisation, over canonicalJson of
// the tx without signature and valid), one per block as the embedded ledger commits them, in the
// ledger's own Merkle tree (ledger/anchors/merkle-tree.ts), with checkpoints and witness
// signatures over the ledger's own signed bytes (ledger/anchors/checkpoint-log.ts). Committing
// 100k transactions through the embedded ledger's fsync'd files would take ~10 minutes, and the
// verifier only sees the transactions, proofs and signatures, which are the same.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { parseArgs } from 'node:util';
import { canonicalJson, sha256Hex } from '../chaincode/src/canonical.ts';
import { buildStepRecord, type StepRecord } from '../chaincode/src/step-record.ts';
import { checkpointBytes, witnessBytes } from '../ledger/anchors/checkpoint-log.ts';
import { leafBytes, leafHash, MerkleTree } from '../ledger/anchors/merkle-tree.ts';
import type { CheckpointBody, SignedCheckpoint } from '../ledger/anchors/types.ts';
import type { TxRecord } from '../ledger/embedded/block-store.ts';
import { keyFingerprint, publicKeyBase64 } from '../ledger/keys.ts';
import { verifyReceipt } from '../verifier/receipt.ts';
import type { PinnedKeys, Receipt } from '../verifier/types.ts';
import { benchFabric } from './verify-fabric.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    records: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '300' },
    fabric: { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const recordsPerApp = Number(values.records);
const rounds = Number(values.rounds);

const key = () => generateKeyPairSync('ed25519').privateKey;
const ledgerKey = key();
const orgs: Record<string, KeyObject> = { GovflowMSP: key(), LandRegistryMSP: key(), TaxBureauMSP: key() };
const pinned: PinnedKeys = {
  ledger: { publicKey: publicKeyBase64(ledgerKey), fingerprint: keyFingerprint(ledgerKey) },
  organisations: Object.entries(orgs).map(([mspId, k]) => ({
    mspId,
    publicKey: publicKeyBase64(k),
    fingerprint: keyFingerprint(k),
  })),
};
const APP = 'app-00000000bench0001';
const DEF_HASH = sha256Hex('bench model');

function signedTx(txId: string, fn: string, writes: TxRecord['writes'], mspId = 'GovflowMSP'): TxRecord {
  const tx = {
    txId,
    fn,
    argsHash: sha256Hex(txId),
    creator: { mspId, id: `${mspId}-bench` },
    timestamp: new Date(1_780_000_000_000).toISOString(),
    reads: [],
    ranges: [],
    writes,
    events: [],
  };
  const signature = sign(null, Buffer.from(canonicalJson(tx)), orgs[mspId]).toString('base64');
  return { ...tx, valid: true, signature } as TxRecord;
}

const stepTx = (record: StepRecord) =>
  signedTx(record.txId, 'RecordStep', [
    {
      key: `\u0000step\u0000${record.applicationId}\u0000${record.elementInstanceId}\u0000`,
      value: canonicalJson(record),
    },
    {
      key: `\u0000head\u0000${record.applicationId}\u0000`,
      value: canonicalJson({ seq: record.seq, hash: record.hash }),
    },
  ]);

function record(app: string, seq: number, previous: StepRecord | undefined): StepRecord {
  return buildStepRecord(
    {
      applicationId: app,
      elementId: `Task_${seq}`,
      elementInstanceId: `Task_${seq}#${seq}`,
      actor: seq % 2 ? 'engine' : 'user:lin.clerk',
      decision: 'approve',
      dataHash: sha256Hex(`${app} ${seq}`),
      definitionKey: 'property-registration',
      definitionHash: DEF_HASH,
    },
    previous ? { seq: previous.seq, hash: previous.hash } : null,
    { txId: sha256Hex(`${app} tx ${seq}`), timestamp: new Date(1_780_000_000_000).toISOString() },
  );
}

/** A ledger of `size` transactions; the bench application's definition and records spread over it. */
function buildLedger(size: number) {
  const txs: TxRecord[] = [signedTx('genesis', 'config', [])];
  const defTx = signedTx(sha256Hex('definition'), 'RegisterDefinition', [
    {
      key: '\u0000definition\u0000property-registration\u000000000001\u0000',
      value: canonicalJson({ key: 'property-registration', version: 1, hash: DEF_HASH, deployer: 'bench' }),
    },
  ]);
  txs.push(defTx);
  const at = new Set(
    Array.from({ length: recordsPerApp }, (_, i) => Math.floor(((i + 1) * (size - 2)) / (recordsPerApp + 1))),
  );
  let mine: StepRecord | undefined;
  const others = new Map<number, StepRecord>();
  while (txs.length < size) {
    if (at.has(txs.length)) {
      mine = record(APP, (mine?.seq ?? 0) + 1, mine);
      txs.push(stepTx(mine));
    } else {
      const n = txs.length % 5000; // 5000 other applications, each a chain of its own
      const other = record(`app-other-${n}`, (others.get(n)?.seq ?? 0) + 1, others.get(n));
      others.set(n, other);
      txs.push(stepTx(other));
    }
  }
  const tree = new MerkleTree();
  for (const [blockNumber, tx] of txs.entries()) tree.appendLeafHash(leafHash(leafBytes(blockNumber, 0, tx)));
  const body: CheckpointBody = {
    format: 'govflow-checkpoint/1',
    ledgerKey: pinned.ledger.fingerprint,
    size,
    root: tree.root(size).toString('hex'),
    blockNumber: size - 1,
    timestamp: new Date().toISOString(),
  };
  const checkpoint: SignedCheckpoint = {
    ...body,
    signature: sign(null, checkpointBytes(body), ledgerKey).toString('base64'),
    witnesses: ['LandRegistryMSP', 'TaxBureauMSP'].map((mspId) => ({
      mspId,
      keyFingerprint: keyFingerprint(orgs[mspId]),
      signature: sign(null, witnessBytes(body), orgs[mspId]).toString('base64'),
    })),
  };
  const inclusion = (leafIndex: number) => ({
    txId: txs[leafIndex].txId,
    blockNumber: leafIndex,
    txIndex: 0,
    leafIndex,
    treeSize: size,
    tx: txs[leafIndex],
    proof: tree.inclusionProof(leafIndex, size).map((h) => h.toString('hex')),
  });
  const receipt = {
    format: 'govflow-receipt/1',
    applicationId: APP,
    issuedAt: new Date().toISOString(),
    definition: { key: 'property-registration', version: 1, hash: DEF_HASH, registration: inclusion(1) },
    records: [...at]
      .sort((a, b) => a - b)
      .map((i) => ({ record: JSON.parse(txs[i].writes[0].value!), inclusion: inclusion(i) })),
    checkpoint,
    keys: pinned,
  } as unknown as Receipt;
  return receipt;
}

console.log(
  `receipt verification: ${recordsPerApp} records + 1 definition registration per receipt, 2 witnesses`,
);
for (const size of sizes) {
  const started = performance.now();
  const receipt = buildLedger(size);
  const buildMs = performance.now() - started;
  const first = await verifyReceipt(receipt, pinned, { minWitnesses: 2 });
  if (!first.valid)
    throw new Error(`bench receipt does not verify: ${JSON.stringify(first.checks, null, 2)}`);
  for (let i = 0; i < 20; i++) await verifyReceipt(receipt, pinned, { minWitnesses: 2 }); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await verifyReceipt(receipt, pinned, { minWitnesses: 2 });
  const ms = (performance.now() - t0) / rounds;
  const proofs = [...receipt.records.map((r) => r.inclusion), receipt.definition!.registration].map(
    (i) => i.proof.length,
  );
  const proofHashes = proofs.reduce((a, b) => a + b, 0);
  console.log(
    `  ${String(size).padStart(7)} txs: ${ms.toFixed(2)} ms per receipt, ${(1000 / ms).toFixed(0)} receipts/s; ` +
      `${Math.min(...proofs)}-${Math.max(...proofs)} hashes per inclusion proof (${Math.max(...proofs) * 32} bytes raw), ` +
      `${proofHashes} proof hashes per receipt, receipt ${(JSON.stringify(receipt).length / 1024).toFixed(1)} KiB ` +
      `(ledger built in ${(buildMs / 1000).toFixed(1)} s)`,
  );
}
if (values.fabric) await benchFabric(values.fabric, recordsPerApp, Math.min(rounds, 100));
