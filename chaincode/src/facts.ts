// Department facts in world state: their keys, the one rule for who may write a registry (its
// owning organisation, fixed in registries.ts) shared by PutFact and ClaimFact, put-if-absent for
// claims, and the versions the ledger's history keeps.
import type { Context } from 'fabric-contract-api';
import { canonicalJson } from './canonical.ts';
import { CodedContractError } from './contract-errors.ts';
import { requireOwnerPeer, sealFact } from './endorsement.ts';
import { refusePersonalFields, sealDetails } from './fact-details.ts';
import { registryOwner } from './registries.ts';
import {
  eventPayload,
  parseJsonArg,
  putJson,
  readJson,
  timestampMillis,
  transientText,
  utf8,
} from './state.ts';
import { requireKeyPart } from './step-record.ts';

export const factKey = (ctx: Context, registry: string, key: string) =>
  ctx.stub.createCompositeKey('fact', [registry, key]);

/** The registry's owning organisation; throws UNKNOWN_REGISTRY for a registry the contract lacks. */
export function knownRegistry(registry: string, where: string): string {
  const owner = typeof registry === 'string' ? registryOwner(registry) : undefined;
  if (!owner) throw new CodedContractError('UNKNOWN_REGISTRY', `${where}: unknown registry "${registry}"`);
  return owner;
}

/** The world state key of a fact named by a caller: a known registry and a usable key. */
export function requireFactKey(ctx: Context, registry: string, key: string, where: string): string {
  knownRegistry(registry, where);
  requireKeyPart(key, 'key', where);
  return factKey(ctx, registry, key);
}

/**
 * Checks a fact write before anything is read or written: a known registry, a key, a submitter
 * whose organisation owns the registry (FORBIDDEN otherwise), and a JSON value that is not null.
 */
function checkFactWrite(
  ctx: Context,
  registry: string,
  key: string,
  valueJson: string,
  where: string,
): { stateKey: string; value: unknown; owner: string } {
  const owner = knownRegistry(registry, where);
  requireKeyPart(key, 'key', where);
  const mspId = ctx.clientIdentity.getMSPID();
  if (mspId !== owner) {
    throw new CodedContractError('FORBIDDEN', `organisation ${mspId} may not write registry ${registry}`);
  }
  const value = parseJsonArg(valueJson, where, 'valueJson');
  if (value === null) throw new Error(`${where}: argument "valueJson" must not be null`);
  return { stateKey: factKey(ctx, registry, key), value, owner };
}

/**
 * Puts the checked value and announces it: what PutFact and a first ClaimFact both write. The
 * key's endorsement policy and the owner seal make Fabric require the owner's peer (endorsement.ts).
 */
async function writeFact(
  ctx: Context,
  fact: { stateKey: string; owner: string; registry: string; key: string },
  value: unknown,
) {
  const { stateKey, owner, registry, key } = fact;
  await putJson(ctx.stub, stateKey, value);
  await requireOwnerPeer(ctx, stateKey, owner);
  await sealFact(ctx, owner, registry, key, value);
  const txId = ctx.stub.getTxID();
  ctx.stub.setEvent('FactPut', eventPayload({ registry, key, txId }));
  return txId;
}

/**
 * PutFact: the public value, with the salted hash of the transient details (which go to the
 * registry's private data collection), in the owner's registry.
 */
export async function putFact(
  ctx: Context,
  registry: string,
  key: string,
  valueJson: string,
): Promise<{ txId: string; registry: string; key: string }> {
  const { stateKey, value, owner } = checkFactWrite(ctx, registry, key, valueJson, 'PutFact');
  const sealed = await sealDetails(ctx, registry, stateKey, value, 'PutFact');
  return { txId: await writeFact(ctx, { stateKey, owner, registry, key }, sealed), registry, key };
}

export interface FactClaim {
  /** The transaction that wrote the fact: this one, or for a duplicate the one that holds it. */
  txId: string;
  registry: string;
  key: string;
  duplicate: boolean;
}

/**
 * Put-if-absent. The read of the key joins the transaction's read set, so of two concurrent claims
 * only one commits; the other is re-simulated (or, on Fabric, resubmitted) and then sees the winner.
 * The same value again is a duplicate (a retry); a different one fails with FACT_TAKEN.
 */
export async function claimFact(
  ctx: Context,
  registry: string,
  key: string,
  valueJson: string,
): Promise<FactClaim> {
  const where = 'ClaimFact';
  const { stateKey, value, owner } = checkFactWrite(ctx, registry, key, valueJson, where);
  // A claim carries no details (a retried claim must compare equal, and details are salted
  // afresh), so nothing personal may ride in its public value.
  refusePersonalFields(registry, value, where);
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, 'detailsHash'))
    throw new Error(`${where}: field "detailsHash" is set by the contract, and a claim has no details`);
  if (transientText(ctx, 'details') !== undefined)
    throw new Error(`${where}: a claim takes no transient details; put them with PutFact`);
  const existing = await readJson(ctx.stub, stateKey);
  if (existing !== null) {
    const heldBy = await latestTxId(ctx, stateKey);
    if (canonicalJson(existing) === canonicalJson(value))
      return { txId: heldBy, registry, key, duplicate: true };
    throw new CodedContractError(
      'FACT_TAKEN',
      `${where}: ${registry}/${key} is already held by tx ${heldBy} with a different value`,
    );
  }
  const txId = await writeFact(ctx, { stateKey, owner, registry, key }, value);
  return { txId, registry, key, duplicate: false };
}

/** The transaction that last wrote a key (history is newest first). */
async function latestTxId(ctx: Context, stateKey: string): Promise<string> {
  for await (const mod of ctx.stub.getHistoryForKey(stateKey)) return mod.txId;
  return 'unknown';
}

/** One version of a fact, as GetFactHistory returns it. */
export interface FactVersion {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  value: unknown;
}

/** Every version of a fact, newest first (as Fabric's history database returns them). */
export async function factHistory(ctx: Context, stateKey: string): Promise<FactVersion[]> {
  const history: FactVersion[] = [];
  for await (const mod of ctx.stub.getHistoryForKey(stateKey)) {
    const text = utf8(mod.value);
    history.push({
      txId: mod.txId,
      timestamp: new Date(timestampMillis(mod.timestamp as never)).toISOString(),
      isDelete: mod.isDelete,
      value: mod.isDelete || text === '' ? null : JSON.parse(text),
    });
  }
  return history;
}
