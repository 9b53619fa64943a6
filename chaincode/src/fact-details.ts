// The personal part of department facts, kept as Fabric private data. The channel's world state
// (and so every block) holds the public value with `detailsHash`, a salted hash of the details;
// the details themselves travel in the proposal's transient data and are stored in the owning
// organisation's collection under the fact's key. The salt comes from the client, because the
// chaincode must be deterministic, and stops anyone from confirming guessed details by hashing.

import type { Context } from 'fabric-contract-api';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { CodedContractError } from './contract-errors.ts';
import { type PrivateCollection, privateCollection, registryPrivacy } from './registries.ts';
import { readJson, transientText, utf8 } from './state.ts';

/** What the collection stores under a fact's key. */
interface SealedDetails {
  details: Record<string, unknown>;
  salt: string;
}

/** Shortest salt accepted: 16 random bytes as hex. */
const MIN_SALT_LENGTH = 32;
const encoder = new TextEncoder();

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The hash the public value carries: SHA-256 of the canonical JSON of details and salt. */
export function detailsHashOf(salt: string, details: Record<string, unknown>): string {
  return sha256Hex(canonicalJson({ details, salt }));
}

/** Refuses a public value carrying a field the registry declares personal. */
export function refusePersonalFields(registry: string, value: unknown, where: string): void {
  if (!isObject(value)) return;
  const field = registryPrivacy(registry)?.personalFields.find((f) => Object.hasOwn(value, f));
  if (field !== undefined) {
    throw new Error(
      `${where}: field "${field}" is personal in registry ${registry}: send it in the transient details, not in the public value`,
    );
  }
}

/**
 * The value to put in world state for a fact write, after checking it: the public value with the
 * hash of the transient details, which go to the registry's collection. A write without details
 * deletes the details an earlier version had from the collection's current state (Fabric, like
 * the embedded store, keeps them in the private data history until purged).
 */
export async function sealDetails(
  ctx: Context,
  registry: string,
  stateKey: string,
  value: unknown,
  where: string,
): Promise<unknown> {
  refusePersonalFields(registry, value, where);
  if (isObject(value) && Object.hasOwn(value, 'detailsHash')) {
    throw new Error(`${where}: field "detailsHash" is set by the contract from the transient details`);
  }
  const privacy = registryPrivacy(registry);
  const detailsText = transientText(ctx, 'details');
  const salt = transientText(ctx, 'salt');
  if (detailsText === undefined) {
    if (salt !== undefined) throw new Error(`${where}: transient "salt" given without "details"`);
    if (privacy && (await previousDetailsHash(ctx, stateKey)) !== undefined) {
      await ctx.stub.deletePrivateData(privacy.collection, stateKey);
    }
    return value;
  }
  if (!privacy) throw new Error(`${where}: registry ${registry} keeps no details`);
  let details: unknown;
  try {
    details = JSON.parse(detailsText);
  } catch {
    throw new Error(`${where}: transient "details" is not valid JSON`);
  }
  if (!isObject(details)) throw new Error(`${where}: transient "details" must be a JSON object`);
  if (typeof salt !== 'string' || salt.length < MIN_SALT_LENGTH) {
    throw new Error(
      `${where}: transient "salt" must be a random string of at least ${MIN_SALT_LENGTH} characters`,
    );
  }
  if (!isObject(value)) throw new Error(`${where}: a fact with details must have an object as its value`);
  // A rule sees details merged over the public value: one must not hide what the other says.
  const shadowed = Object.keys(details).find((field) => Object.hasOwn(value, field));
  if (shadowed !== undefined)
    throw new Error(`${where}: field "${shadowed}" is in both the public value and the details`);
  const sealed: SealedDetails = { details, salt };
  await ctx.stub.putPrivateData(privacy.collection, stateKey, encoder.encode(canonicalJson(sealed)));
  return { ...value, detailsHash: detailsHashOf(salt, details) };
}

async function previousDetailsHash(ctx: Context, stateKey: string): Promise<string | undefined> {
  try {
    const previous = await readJson<Record<string, unknown>>(ctx.stub, stateKey);
    return typeof previous?.detailsHash === 'string' ? previous.detailsHash : undefined;
  } catch {
    return undefined; // unreadable: nothing to clean up that could be trusted
  }
}

/** The details under a fact's key, checked against the hash the public value carries. */
async function openDetails(
  ctx: Context,
  collection: string,
  stateKey: string,
  detailsHash: string,
  label: string,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = utf8(await ctx.stub.getPrivateData(collection, stateKey));
  } catch (err) {
    // A peer that has not received the data yet (or cannot serve it): fail, to be tried again.
    throw new CodedContractError('DETAILS_UNAVAILABLE', `the details of ${label}: ${(err as Error).message}`);
  }
  if (text === '')
    throw new DetailsUnusable(`the details of ${label} are missing from collection ${collection}`);
  let sealed: SealedDetails | undefined;
  try {
    sealed = JSON.parse(text) as SealedDetails;
  } catch {
    // reported below as a mismatch
  }
  if (
    !sealed ||
    !isObject(sealed.details) ||
    typeof sealed.salt !== 'string' ||
    detailsHashOf(sealed.salt, sealed.details) !== detailsHash
  ) {
    throw new DetailsUnusable(
      `the details of ${label} in collection ${collection} do not match the detailsHash on the ledger — they were altered`,
    );
  }
  return sealed.details;
}

/** GetFactDetails: only clients of the collection's member organisations may read details. */
export async function factDetails(
  ctx: Context,
  registry: string,
  key: string,
  stateKey: string,
): Promise<Record<string, unknown> | null> {
  const where = 'GetFactDetails';
  const privacy = registryPrivacy(registry);
  const collection: PrivateCollection | undefined = privacy && privateCollection(privacy.collection);
  if (!privacy || !collection) throw new Error(`${where}: registry ${registry} keeps no details`);
  const mspId = ctx.clientIdentity.getMSPID();
  if (!collection.members.includes(mspId)) {
    throw new CodedContractError(
      'FORBIDDEN',
      `${where}: organisation ${mspId} is not a member of collection ${collection.name}, which keeps the details of registry ${registry}`,
    );
  }
  const value = await readJson<Record<string, unknown>>(ctx.stub, stateKey);
  if (typeof value?.detailsHash !== 'string') return null;
  const label = `${registry}/${key}`;
  try {
    return await openDetails(ctx, collection.name, stateKey, value.detailsHash, label);
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/** Stored details that are gone or do not match their hash: a clerk must look, retrying won't help. */
class DetailsUnusable extends Error {}

/**
 * A fact as an approval rule sees it (`value`: the public value merged with its details) and as
 * the ledger holds it (`stored`: the public value with its salted detailsHash, what the step's
 * data hash covers, so the hash confirms no guess about the details). Details that are missing
 * or do not match their hash are a reason, and `failed` leaves the decision to a clerk.
 */
export async function factForRule(
  ctx: Context,
  registry: string,
  key: string,
  stateKey: string,
  reasons: string[],
): Promise<{ value: unknown; stored: unknown; failed: boolean }> {
  const stored = await readJson<Record<string, unknown>>(ctx.stub, stateKey);
  const collection = registryPrivacy(registry)?.collection;
  if (!isObject(stored) || typeof stored.detailsHash !== 'string' || !collection)
    return { value: stored, stored, failed: false };
  const { detailsHash, ...publicPart } = stored;
  try {
    const details = await openDetails(ctx, collection, stateKey, detailsHash, `${registry}/${key}`);
    return { value: { ...publicPart, ...details }, stored, failed: false };
  } catch (err) {
    if (!(err instanceof DetailsUnusable)) throw err;
    reasons.push(`fact ${registry}/${key}: ${err.message}`);
    return { value: publicPart, stored, failed: true };
  }
}
