// The registry of deployed definitions (BPMN processes and DMN decision models): key, version,
// content hash and deployer, so anyone can check which model decided an application.
import type { Context } from 'fabric-contract-api';
import { eventPayload, putJson, readJson, scan, txTimestampIso } from './state.ts';
import { requireKeyPart, requireObject } from './step-record.ts';

export interface DefinitionRecord {
  key: string;
  version: number;
  hash: string;
  deployer: string;
  /** `process` (BPMN) or `decisions` (DMN); absent on records from before decisions existed. */
  kind?: 'process' | 'decisions';
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
  const key = definitionKey(ctx, def.key, version);
  const existing = await readJson<DefinitionRecord>(ctx.stub, key);
  if (existing) {
    if (existing.hash === def.hash) return { definition: existing, duplicate: true };
    throw new Error(
      `definition ${def.key} v${version} is already registered with hash ${existing.hash.slice(0, 12)}…; changed content needs a new version`,
    );
  }
  const record: DefinitionRecord = {
    key: def.key,
    version,
    hash: def.hash,
    deployer: def.deployer,
    ...(kind === 'process' ? {} : { kind }),
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
