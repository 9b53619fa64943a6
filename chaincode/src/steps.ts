// Step records in world state: one key per (application, element instance), plus the chain head
// of each application, so a new record links to the last without scanning the trail.
import type { Context } from 'fabric-contract-api';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { CodedContractError } from './contract-errors.ts';
import { eventPayload, putJson, readJson, scan, txTimestampIso } from './state.ts';
import {
  buildStepRecord,
  type ChainHead,
  differingFields,
  type StepInput,
  type StepRecord,
  type TrailProblem,
  verifyRecords,
} from './step-record.ts';

const stepKey = (ctx: Context, applicationId: string, elementInstanceId: string) =>
  ctx.stub.createCompositeKey('step', [applicationId, elementInstanceId]);
const headKey = (ctx: Context, applicationId: string) => ctx.stub.createCompositeKey('head', [applicationId]);
const callKey = (ctx: Context, applicationId: string, elementInstanceId: string) =>
  ctx.stub.createCompositeKey('step-call', [applicationId, elementInstanceId]);

/** STEP_CONFLICT: the step is recorded, and this call is not the one that recorded it. */
function stepConflict(where: string, applicationId: string, elementInstanceId: string, what: string) {
  return new CodedContractError(
    'STEP_CONFLICT',
    `${where}: step ${applicationId}/${elementInstanceId} is already recorded ${what}; a recorded step never changes`,
  );
}

/** The step already recorded for this element instance, if any (a retried call). */
export function existingStep(ctx: Context, applicationId: string, elementInstanceId: string) {
  return readJson<StepRecord>(ctx.stub, stepKey(ctx, applicationId, elementInstanceId));
}

/**
 * Records a step once: the same input again (a retry) returns the first record; a different input
 * for the recorded element instance is refused with STEP_CONFLICT naming the fields that differ.
 */
export async function recordStep(
  ctx: Context,
  input: StepInput,
  where = 'RecordStep',
): Promise<{ record: StepRecord; duplicate: boolean }> {
  const { applicationId, elementInstanceId } = input;
  const existing = await existingStep(ctx, applicationId, elementInstanceId);
  if (!existing) return appendStep(ctx, input);
  if (await readJson(ctx.stub, callKey(ctx, applicationId, elementInstanceId)))
    throw stepConflict(where, applicationId, elementInstanceId, 'by a rule or decision of the contract');
  const differ = differingFields(existing, input);
  if (differ.length > 0)
    throw stepConflict(where, applicationId, elementInstanceId, `with a different ${differ.join(', ')}`);
  return { record: existing, duplicate: true };
}

/** What identifies a contract step call (EvaluateRule, EvaluateDecision): its whole input, hashed. */
export function stepCallHash(fn: string, call: unknown): string {
  return sha256Hex(canonicalJson({ fn, call }));
}

/**
 * The step a contract call already recorded for this element instance: returned when the call is
 * the same (a retry, even if facts changed since), STEP_CONFLICT when its input differs or the
 * step was recorded by RecordStep. Null when nothing is recorded yet.
 */
export async function repeatedCall(
  ctx: Context,
  where: string,
  { applicationId, elementInstanceId }: Pick<StepInput, 'applicationId' | 'elementInstanceId'>,
  callHash: string,
): Promise<StepRecord | null> {
  const existing = await existingStep(ctx, applicationId, elementInstanceId);
  if (!existing) return null;
  const recorded = await readJson<{ fn: string; hash: string }>(
    ctx.stub,
    callKey(ctx, applicationId, elementInstanceId),
  );
  if (!recorded) {
    // Recorded by the contract before calls were kept: it was this call, as far as can be told.
    if (/^(contract|decision):/.test(existing.actor)) return existing;
    throw stepConflict(where, applicationId, elementInstanceId, `by RecordStep (${existing.actor})`);
  }
  if (recorded.fn !== where) throw stepConflict(where, applicationId, elementInstanceId, `by ${recorded.fn}`);
  if (recorded.hash !== callHash)
    throw stepConflict(
      where,
      applicationId,
      elementInstanceId,
      'from a different input (step, definition or variables)',
    );
  return existing;
}

/** Appends a step a contract call decided, keeping the call's hash to tell a retry from a conflict. */
export async function appendCallStep(
  ctx: Context,
  where: string,
  callHash: string,
  input: StepInput,
): Promise<{ record: StepRecord; duplicate: false }> {
  const result = await appendStep(ctx, input);
  await putJson(ctx.stub, callKey(ctx, input.applicationId, input.elementInstanceId), {
    fn: where,
    hash: callHash,
  });
  return result;
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
