// Receipts: everything needed to check an application's trail without the server. Its records,
// each with the transaction that wrote it and an inclusion proof to one signed, witnessed
// checkpoint, the definition's registration, and the keys' fingerprints (verifier/README.md).
import type { FabricReceipt } from '../verifier/fabric-receipt.ts';
import type { Receipt, StepRecord as VerifierRecord } from '../verifier/types.ts';
import type { SignedCheckpoint, TxInclusion } from './anchors/types.ts';
import { buildFabricReceipt } from './fabric/receipt.ts';
import type { Ledger, StepRecord } from './types.ts';

/** No witnessed checkpoint covers the trail yet: try again shortly (HTTP 503 with Retry-After). */
export class ReceiptNotReadyError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A receipt cannot be made for this application or ledger (HTTP 404 / 501). */
export class NoReceiptError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-records' | 'no-anchors' | 'no-definition',
  ) {
    super(message);
  }
}

export interface ReceiptOptions {
  /** How long to wait for witnesses to co-sign a checkpoint covering the trail (default 5 s). */
  waitMs?: number;
  /** Co-signatures the checkpoint needs (default 1). */
  minWitnesses?: number;
}

/** The receipt the ledger can issue: from Fabric blocks, or (embedded) with a witnessed checkpoint. */
export async function issueReceipt(
  ledger: Ledger,
  applicationId: string,
  options: ReceiptOptions = {},
): Promise<Receipt | FabricReceipt> {
  if (!ledger.fabricBlocks) return buildReceipt(ledger, applicationId, options);
  // Fabric: what a committed transaction needs is in its block (orderer-signed, endorsed).
  const records = (await ledger.trail(applicationId)).map((e) => e.record);
  if (records.length === 0)
    throw new NoReceiptError(`application ${applicationId} has no ledger records yet`, 'no-records');
  return buildFabricReceipt(
    ledger.fabricBlocks,
    applicationId,
    records,
    await registrationOf(ledger, records),
  );
}

export async function buildReceipt(
  ledger: Ledger,
  applicationId: string,
  { waitMs = 5000, minWitnesses = 1 }: ReceiptOptions = {},
): Promise<Receipt> {
  const anchors = ledger.anchors;
  if (!anchors)
    throw new NoReceiptError(
      `the ${ledger.kind} ledger issues no signed checkpoints, so no receipts`,
      'no-anchors',
    );
  const records = (await ledger.trail(applicationId)).map((e) => e.record);
  if (records.length === 0)
    throw new NoReceiptError(`application ${applicationId} has no ledger records yet`, 'no-records');
  const definition = await registrationOf(ledger, records);
  const txIds = [...records.map((r) => r.txId), ...(definition ? [definition.txId] : [])];

  // The checkpoint must cover the newest of these transactions and carry witness signatures.
  const latest = await anchors.latestCheckpoint();
  const positions = await Promise.all(txIds.map((id) => anchors.inclusion(id, latest.size)));
  const missing = positions.indexOf(null);
  if (missing >= 0) throw new Error(`transaction ${txIds[missing]} is not in the ledger's tree`);
  const needed = Math.max(...positions.map((p) => p!.leafIndex)) + 1;
  const checkpoint = await waitForWitnessed(anchors, needed, minWitnesses, waitMs);

  const inclusions = await Promise.all(txIds.map((id) => anchors.inclusion(id, checkpoint.size)));
  const inclusion = (i: number): TxInclusion => {
    const found = inclusions[i];
    if (!found) throw new Error(`transaction ${txIds[i]} has no inclusion proof at size ${checkpoint.size}`);
    return found;
  };
  return {
    format: 'govflow-receipt/1',
    applicationId,
    issuedAt: new Date().toISOString(),
    definition: definition && {
      key: definition.key,
      version: definition.version,
      hash: definition.hash,
      ...(definition.modelHash ? { modelHash: definition.modelHash } : {}),
      registration: inclusion(records.length) as unknown as Receipt['records'][number]['inclusion'],
    },
    records: records.map((record, i) => ({
      record: record as VerifierRecord,
      inclusion: inclusion(i) as unknown as Receipt['records'][number]['inclusion'],
    })),
    checkpoint: checkpoint as Receipt['checkpoint'],
    keys: await anchors.keys(),
  };
}

/** The registered definition the records cite (by key and hash), or null when none cites one. */
async function registrationOf(ledger: Ledger, records: StepRecord[]) {
  const citing = records.find((r) => r.definitionKey && r.definitionHash);
  if (!citing) return null;
  const versions = (await ledger.definitionVersions(citing.definitionKey!)) as (Awaited<
    ReturnType<Ledger['definitionVersions']>
  >[number] & { modelHash?: string })[];
  const match = versions.find(
    (v) => v.hash === citing.definitionHash || v.modelHash === citing.definitionHash,
  );
  if (!match)
    throw new NoReceiptError(
      `no registered version of ${citing.definitionKey} has hash ${citing.definitionHash}, which the records cite`,
      'no-definition',
    );
  return match;
}

async function waitForWitnessed(
  anchors: NonNullable<Ledger['anchors']>,
  size: number,
  minWitnesses: number,
  waitMs: number,
): Promise<SignedCheckpoint> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const checkpoint = await anchors.latestWitnessedCheckpoint(minWitnesses);
    if (checkpoint && checkpoint.size >= size) return checkpoint;
    if (Date.now() >= deadline)
      throw new ReceiptNotReadyError(
        `no checkpoint covering the application's ${size <= 0 ? '' : 'last '}transaction has ${minWitnesses} witness signature${minWitnesses === 1 ? '' : 's'} yet (newest witnessed: ${checkpoint ? `size ${checkpoint.size}` : 'none'}, needed: size ${size} or more); witnesses co-sign within seconds when they run`,
        2,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
