// The step record: one workflow step of one application, hash-chained per application.
// The single definition: the application's ledger/ re-exports these types.
import { requireCallerActor } from './actors.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';

/** What a workflow step asks the contract to record. */
export interface StepInput {
  applicationId: string;
  elementId: string;
  /** Unique per step of an application; the record key, so a retried call never writes twice. */
  elementInstanceId: string;
  elementName?: string;
  /**
   * A typed actor (actors.ts): `user:<sub>`, `engine`, `timer`, `message:<name>`, `signal:<name>`,
   * or the contract's own `contract:<rule id>` / `decision:<id>`.
   */
  actor: string;
  decision: string;
  /** SHA-256 of the canonical JSON of the variables/documents involved. */
  dataHash: string;
  definitionKey?: string;
  /** The registered version of the definition (see definition-registry.ts). */
  definitionVersion?: number;
  definitionHash?: string;
  reasons?: string[];
}

/** A step as stored on the ledger, hash-chained per application. */
export interface StepRecord extends StepInput {
  /** Position in the application's trail, from 1. */
  seq: number;
  txId: string;
  /** Transaction timestamp, ISO 8601. */
  timestamp: string;
  /** Hash of the previous record of the same application, '' for the first. */
  prevHash: string;
  /** SHA-256 of the canonical JSON of every other field. */
  hash: string;
}

/** The application's chain head, kept so a new record need not scan the whole trail. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface TrailProblem {
  message: string;
  txId?: string;
  elementInstanceId?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Checks a step's identifying fields; throws naming the first bad field. */
export function validateStepIdentity(input: Record<string, unknown>, where: string): void {
  for (const field of ['applicationId', 'elementId', 'elementInstanceId'] as const) {
    requireKeyPart(input[field], field, where);
  }
  for (const field of ['elementName', 'definitionKey'] as const) {
    if (input[field] !== undefined && typeof input[field] !== 'string') {
      throw new Error(`${where}: field "${field}" must be a string when given`);
    }
  }
  if (
    input.definitionVersion !== undefined &&
    !(Number.isInteger(input.definitionVersion) && (input.definitionVersion as number) >= 1)
  ) {
    throw new Error(`${where}: field "definitionVersion" must be a positive integer when given`);
  }
  if (
    input.definitionHash !== undefined &&
    !(typeof input.definitionHash === 'string' && HEX64.test(input.definitionHash))
  ) {
    throw new Error(
      `${where}: field "definitionHash" must be a lowercase hex SHA-256 (64 characters) when given`,
    );
  }
}

/** The fields naming a step, as a call that decides the step itself (a rule, a decision) gives them. */
export type StepIdentity = Pick<
  StepInput,
  | 'applicationId'
  | 'elementId'
  | 'elementInstanceId'
  | 'elementName'
  | 'definitionKey'
  | 'definitionVersion'
  | 'definitionHash'
>;

/** A contract input must be a JSON object: not null, not an array. */
export function requireObject(raw: unknown, where: string): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(`${where}: input must be a JSON object`);
  return raw as Record<string, unknown>;
}

/**
 * Validates the input of a call that decides a step and records it (EvaluateRule,
 * EvaluateDecision): the step's identity, then the call's own fields (`validateCall`), then the
 * `variables` object. Returns the identity with only its known fields.
 */
export function validateContractStep<T>(
  raw: unknown,
  where: string,
  validateCall: (input: Record<string, unknown>) => T,
): { identity: StepIdentity; variables: Record<string, unknown>; call: T } {
  const input = requireObject(raw, where);
  validateStepIdentity(input, where);
  const call = validateCall(input);
  const variables = input.variables;
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables))
    throw new Error(`${where}: field "variables" must be a JSON object`);
  const identity: StepIdentity = {
    applicationId: input.applicationId as string,
    elementId: input.elementId as string,
    elementInstanceId: input.elementInstanceId as string,
    elementName: input.elementName as string | undefined,
    definitionKey: input.definitionKey as string | undefined,
    definitionVersion: input.definitionVersion as number | undefined,
    definitionHash: input.definitionHash as string | undefined,
  };
  return { identity, variables: variables as Record<string, unknown>, call };
}

/** Validates a RecordStep input and returns it with only the known fields. */
export function validateStepInput(raw: unknown, where: string): StepInput {
  const input = requireObject(raw, where);
  validateStepIdentity(input, where);
  if (typeof input.decision !== 'string' || input.decision === '') {
    throw new Error(`${where}: field "decision" is required and must be a non-empty string`);
  }
  requireCallerActor(input.actor, where);
  if (typeof input.dataHash !== 'string' || !HEX64.test(input.dataHash)) {
    throw new Error(`${where}: field "dataHash" must be a lowercase hex SHA-256 (64 characters)`);
  }
  if (
    input.reasons !== undefined &&
    !(Array.isArray(input.reasons) && input.reasons.every((r) => typeof r === 'string'))
  ) {
    throw new Error(`${where}: field "reasons" must be an array of strings when given`);
  }
  return {
    applicationId: input.applicationId as string,
    elementId: input.elementId as string,
    elementInstanceId: input.elementInstanceId as string,
    elementName: input.elementName as string | undefined,
    actor: input.actor as string,
    decision: input.decision as string,
    dataHash: input.dataHash as string,
    definitionKey: input.definitionKey as string | undefined,
    definitionVersion: input.definitionVersion as number | undefined,
    definitionHash: input.definitionHash as string | undefined,
    reasons: input.reasons as string[] | undefined,
  };
}

/** The fields of a step input that a record keeps as given. */
const INPUT_FIELDS = [
  'applicationId',
  'elementId',
  'elementInstanceId',
  'elementName',
  'actor',
  'decision',
  'dataHash',
  'definitionKey',
  'definitionVersion',
  'definitionHash',
  'reasons',
] as const satisfies readonly (keyof StepInput)[];

/** The input fields in which a recorded step differs from `input` (none: the same call again). */
export function differingFields(record: StepRecord, input: StepInput): string[] {
  return INPUT_FIELDS.filter(
    (field) => canonicalJson(record[field] ?? null) !== canonicalJson(input[field] ?? null),
  );
}

/** Composite key parts must be non-empty and free of U+0000, Fabric's separator. */
export function requireKeyPart(value: unknown, field: string, where: string): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${where}: field "${field}" is required and must be a non-empty string`);
  }
  if (value.includes('\u0000')) throw new Error(`${where}: field "${field}" must not contain U+0000`);
}

/** The record's hash: SHA-256 of the canonical JSON of every field but `hash`. */
export function stepRecordHash(record: Omit<StepRecord, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = record;
  return sha256Hex(canonicalJson(rest));
}

export function buildStepRecord(
  input: StepInput,
  head: ChainHead | null,
  tx: { txId: string; timestamp: string },
): StepRecord {
  const unhashed: Omit<StepRecord, 'hash'> = {
    ...input,
    seq: (head?.seq ?? 0) + 1,
    prevHash: head?.hash ?? '',
    txId: tx.txId,
    timestamp: tx.timestamp,
  };
  // Drop absent optional fields so the stored record and its hash agree on what is there.
  const clean = JSON.parse(canonicalJson(unhashed)) as Omit<StepRecord, 'hash'>;
  return { ...clean, hash: stepRecordHash(clean) };
}

/** Names a record in problem messages: application/element instance, seq and a short tx id. */
export function describeRecord(r: Partial<StepRecord>): string {
  return `record ${r.applicationId}/${r.elementInstanceId} (seq ${r.seq}, tx ${shortTx(r.txId)})`;
}

export function shortTx(txId: string | undefined): string {
  return txId ? `${txId.slice(0, 12)}…` : '?';
}

/**
 * Checks an application's stored records: each hash recomputed, seq 1..n without gaps, each
 * prevHash equal to the previous record's hash, and the head pointing at the last record.
 * `stored` holds each record's key attributes next to the parsed value, so a record moved
 * under another key is caught too.
 */
export function verifyRecords(
  applicationId: string,
  stored: { keyElementInstanceId: string; record: StepRecord }[],
  head: ChainHead | null,
): TrailProblem[] {
  const problems: TrailProblem[] = [];
  const records = [...stored].sort((a, b) => a.record.seq - b.record.seq);
  let previous: StepRecord | undefined;
  records.forEach(({ keyElementInstanceId, record }, index) => {
    const name = describeRecord(record);
    const add = (what: string) =>
      problems.push({
        message: `${name}: ${what}`,
        txId: record.txId,
        elementInstanceId: record.elementInstanceId,
      });
    if (record.applicationId !== applicationId || record.elementInstanceId !== keyElementInstanceId) {
      add(
        `stored under ${applicationId}/${keyElementInstanceId} but names another step — content was altered`,
      );
    }
    if (stepRecordHash(record) !== record.hash) add('hash mismatch — record content was altered');
    if (record.seq !== index + 1)
      add(`seq ${record.seq} where ${index + 1} was expected — a record is missing or duplicated`);
    const expectedPrev = previous?.hash ?? '';
    if (record.prevHash !== expectedPrev) {
      add(
        `prevHash does not match the hash of the previous record (seq ${previous?.seq ?? 0}) — chain broken`,
      );
    }
    previous = record;
  });
  const lastSeq = previous?.seq ?? 0;
  if (head && (head.seq !== lastSeq || head.hash !== (previous?.hash ?? ''))) {
    problems.push({
      message: `application ${applicationId}: chain head says seq ${head.seq} but the trail ends at seq ${lastSeq} — records were removed or altered`,
    });
  }
  if (!head && records.length > 0) {
    problems.push({ message: `application ${applicationId}: records exist but the chain head is missing` });
  }
  return problems;
}
