// Step records in world state: one key per (application, element instance), plus the chain head
// of each application, so a new record links to the last without scanning the trail.
import type { Context } from 'fabric-contract-api';
import { eventPayload, putJson, readJson, scan, txTimestampIso } from './state.ts';
import {
  buildStepRecord,
  type ChainHead,
  type StepInput,
  type StepRecord,
  type TrailProblem,
  verifyRecords,
} from './step-record.ts';

const stepKey = (ctx: Context, applicationId: string, elementInstanceId: string) =>
  ctx.stub.createCompositeKey('step', [applicationId, elementInstanceId]);
const headKey = (ctx: Context, applicationId: string) => ctx.stub.createCompositeKey('head', [applicationId]);

/** The step already recorded for this element instance, if any (a retried call). */
export function existingStep(ctx: Context, applicationId: string, elementInstanceId: string) {
  return readJson<StepRecord>(ctx.stub, stepKey(ctx, applicationId, elementInstanceId));
}

/** Records a step once: a retry with the same element instance returns the first record. */
export async function recordStep(
  ctx: Context,
  input: StepInput,
): Promise<{ record: StepRecord; duplicate: boolean }> {
  const existing = await existingStep(ctx, input.applicationId, input.elementInstanceId);
  return existing ? { record: existing, duplicate: true } : appendStep(ctx, input);
}

/** Appends a step to its application's chain; the caller has checked that it is not recorded yet. */
export async function appendStep(
  ctx: Context,
  input: StepInput,
): Promise<{ record: StepRecord; duplicate: false }> {
  const head = await readJson<ChainHead>(ctx.stub, headKey(ctx, input.applicationId));
  const record = buildStepRecord(input, head, {
    txId: ctx.stub.getTxID(),
    timestamp: txTimestampIso(ctx.stub),
  });
  await putJson(ctx.stub, stepKey(ctx, input.applicationId, input.elementInstanceId), record);
  await putJson(ctx.stub, headKey(ctx, input.applicationId), { seq: record.seq, hash: record.hash });
  ctx.stub.setEvent(
    'StepRecorded',
    eventPayload({
      applicationId: record.applicationId,
      elementInstanceId: record.elementInstanceId,
      seq: record.seq,
      hash: record.hash,
      txId: record.txId,
    }),
  );
  return { record, duplicate: false };
}

/** Every stored record of an application, ordered by seq; unreadable ones are reported. */
export async function loadTrail(ctx: Context, applicationId: string) {
  const records: { keyElementInstanceId: string; record: StepRecord }[] = [];
  const unreadable: TrailProblem[] = [];
  for (const { key, text } of await scan(ctx.stub, 'step', [applicationId])) {
    const keyElementInstanceId = ctx.stub.splitCompositeKey(key).attributes[1] ?? '';
    try {
      records.push({ keyElementInstanceId, record: JSON.parse(text) as StepRecord });
    } catch {
      unreadable.push({
        message: `record ${applicationId}/${keyElementInstanceId}: stored value is not valid JSON — content was altered`,
        elementInstanceId: keyElementInstanceId,
      });
    }
  }
  records.sort((a, b) => a.record.seq - b.record.seq);
  return { records, unreadable };
}

/** Recomputes every record hash, the prevHash chain and seq continuity from world state. */
export async function verifyTrail(ctx: Context, applicationId: string) {
  const { records, unreadable } = await loadTrail(ctx, applicationId);
  let head: ChainHead | null = null;
  try {
    head = await readJson<ChainHead>(ctx.stub, headKey(ctx, applicationId));
  } catch {
    unreadable.push({
      message: `application ${applicationId}: chain head is not valid JSON — content was altered`,
    });
  }
  const problems = [...unreadable, ...verifyRecords(applicationId, records, head)];
  return { valid: problems.length === 0, records: records.length, problems };
}
