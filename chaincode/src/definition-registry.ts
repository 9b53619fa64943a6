// The registry of deployed definitions (BPMN processes and DMN decision models): key, version,
// content hash and deployer, so anyone can check which model decided an application. A process
// also registers what decides its steps (each step's approval rule, the decision each business
// rule task calls) and the hash of its compiled model: step calls take their rule from here, and
// a worker checks the model it runs against these hashes.
import type { Context } from 'fabric-contract-api';
import { type ApprovalRule, validateRule } from './approval-rule.ts';
import { canonicalJson } from './canonical.ts';
import { CodedContractError } from './contract-errors.ts';
import { ruleOrganisation } from './endorsement.ts';
import { eventPayload, putJson, readJson, scan, txTimestampIso } from './state.ts';
import { requireKeyPart, requireObject, type StepIdentity } from './step-record.ts';

export interface DefinitionRecord {
  key: string;
  version: number;
  hash: string;
  deployer: string;
  /** `process` (BPMN) or `decisions` (DMN); absent on records from before decisions existed. */
  kind?: 'process' | 'decisions';
  /** A process: SHA-256 of the canonical JSON of the compiled model the engine runs. */
  modelHash?: string;
  /** A process: the approval rule of each step that has one, by element id. */
  rules?: Record<string, ApprovalRule>;
  /** A process: the decision id each business rule task calls, by element id. */
  decisionCalls?: Record<string, string>;
  registeredBy: string;
  txId: string;
  timestamp: string;
}

export const definitionKey = (ctx: Context, key: string, version: number) =>
  ctx.stub.createCompositeKey('definition', [key, String(version).padStart(8, '0')]);

/** Registers a definition version; the same key and version can never change content. */
export async function registerDefinition(
  ctx: Context,
  raw: unknown,
  where: string,
  kind: DefinitionRecord['kind'] = 'process',
): Promise<{ definition: DefinitionRecord; duplicate: boolean }> {
  const def = requireObject(raw, where);
  requireKeyPart(def.key, 'key', where);
  if (!Number.isInteger(def.version) || (def.version as number) < 1) {
    throw new Error(`${where}: field "version" must be a positive integer`);
  }
  if (typeof def.hash !== 'string' || !/^[0-9a-f]{64}$/.test(def.hash)) {
    throw new Error(`${where}: field "hash" must be a lowercase hex SHA-256 (64 characters)`);
  }
  if (typeof def.deployer !== 'string' || def.deployer === '') {
    throw new Error(`${where}: field "deployer" must be a non-empty string`);
  }
  const version = def.version as number;
  const deciding = kind === 'process' ? validateDeciding(def, where) : {};
  const key = definitionKey(ctx, def.key, version);
  const existing = await readJson<DefinitionRecord>(ctx.stub, key);
  if (existing) {
    if (existing.hash === def.hash && sameDeciding(existing, deciding))
      return { definition: existing, duplicate: true };
    throw new Error(
      `definition ${def.key} v${version} is already registered with hash ${existing.hash.slice(0, 12)}…${existing.hash === def.hash ? ' and other rules, decisions or model hash' : ''}; changed content needs a new version`,
    );
  }
  const record: DefinitionRecord = {
    key: def.key,
    version,
    hash: def.hash,
    deployer: def.deployer,
    ...(kind === 'process' ? deciding : { kind }),
    registeredBy: ctx.clientIdentity.getMSPID(),
    txId: ctx.stub.getTxID(),
    timestamp: txTimestampIso(ctx.stub),
  };
  await putJson(ctx.stub, key, record);
  ctx.stub.setEvent('DefinitionRegistered', eventPayload({ key: record.key, version, hash: record.hash }));
  return { definition: record, duplicate: false };
}

/** One registered version, or null. */
export async function getDefinition(
  ctx: Context,
  key: string,
  version: number,
  where: string,
): Promise<DefinitionRecord | null> {
  requireKeyPart(key, 'key', where);
  if (!Number.isInteger(version) || version < 1) {
    throw new Error(`${where}: argument "version" must be a positive integer`);
  }
  return readJson<DefinitionRecord>(ctx.stub, definitionKey(ctx, key, version));
}

/** Every registered version of a key, oldest first (the zero-padded version orders the keys). */
export async function listDefinitionVersions(
  ctx: Context,
  key: string,
  where: string,
): Promise<DefinitionRecord[]> {
  requireKeyPart(key, 'key', where);
  return (await scan(ctx.stub, 'definition', [key])).map((row) => JSON.parse(row.text) as DefinitionRecord);
}

type Deciding = Pick<DefinitionRecord, 'modelHash' | 'rules' | 'decisionCalls'>;

/** A process registration's model hash, rules and decision calls, checked field by field. */
function validateDeciding(def: Record<string, unknown>, where: string): Deciding {
  if (typeof def.modelHash !== 'string' || !/^[0-9a-f]{64}$/.test(def.modelHash)) {
    throw new Error(`${where}: field "modelHash" must be a lowercase hex SHA-256 (64 characters)`);
  }
  const rules: Record<string, ApprovalRule> = {};
  for (const [elementId, rule] of Object.entries(elementMap(def.rules, 'rules', where))) {
    rules[elementId] = validateRule(rule, `${where} (rules.${elementId})`);
    ruleOrganisation(rules[elementId], `${where}: element ${elementId}`);
  }
  const decisionCalls: Record<string, string> = {};
  for (const [elementId, decisionId] of Object.entries(
    elementMap(def.decisionCalls, 'decisionCalls', where),
  )) {
    requireKeyPart(decisionId, `decisionCalls.${elementId}`, where);
    decisionCalls[elementId] = decisionId;
  }
  return { modelHash: def.modelHash, rules, decisionCalls };
}

/** An optional object keyed by element id. */
function elementMap(raw: unknown, field: string, where: string): Record<string, unknown> {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(`${where}: field "${field}" must be an object keyed by element id when given`);
  for (const elementId of Object.keys(raw)) requireKeyPart(elementId, `${field} key`, where);
  return raw as Record<string, unknown>;
}

function sameDeciding(existing: DefinitionRecord, deciding: Deciding): boolean {
  const of = (d: Deciding) => canonicalJson([d.modelHash ?? null, d.rules ?? {}, d.decisionCalls ?? {}]);
  return existing.kind === 'decisions' || of(existing) === of(deciding);
}

/**
 * The registered process a step call names by definitionKey and definitionVersion:
 * DEFINITION_NOT_REGISTERED when there is none, or when the call's definitionHash is not its hash.
 */
export async function registeredProcess(
  ctx: Context,
  identity: StepIdentity,
  where: string,
): Promise<DefinitionRecord> {
  const { definitionKey: key, definitionVersion: version } = identity;
  if (key === undefined || version === undefined)
    throw new Error(`${where}: fields "definitionKey" and "definitionVersion" are required`);
  requireKeyPart(key, 'definitionKey', where);
  const record = await readJson<DefinitionRecord>(ctx.stub, definitionKey(ctx, key, version));
  if (!record || record.kind === 'decisions') {
    throw new CodedContractError(
      'DEFINITION_NOT_REGISTERED',
      `${where}: process definition ${key} v${version} is not registered on the ledger; deploy it first`,
    );
  }
  if (identity.definitionHash !== undefined && identity.definitionHash !== record.hash) {
    throw new CodedContractError(
      'DEFINITION_NOT_REGISTERED',
      `${where}: definition ${key} v${version} is registered with hash ${record.hash}, not ${identity.definitionHash}`,
    );
  }
  return record;
}
