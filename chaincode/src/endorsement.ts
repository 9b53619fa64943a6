// Who must endorse a write, expressed in what the contract writes. Fabric checks each written key
// against its state-based endorsement policy when one is committed, else (private data) the
// collection's endorsement policy, else the chaincode's (the engine's peer). So:
// - a fact's state key carries a policy naming its owner's peer, and every fact write also seals
//   the value in the owner's collection, so even the first write (under the chaincode policy)
//   needs the owner's peer;
// - a rule decision writes a "rule read" record into the collection of the organisation whose
//   facts the rule read, so that organisation's peer re-executes the rule on its own copy of the
//   facts and must reach the same decision for the transaction to be valid.
import type { Context } from 'fabric-contract-api';
import type { ApprovalRule } from './approval-rule.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { CodedContractError } from './contract-errors.ts';
import { peersPolicy } from './key-policy.ts';
import { ownerCollection, registryOwner } from './registries.ts';

const encoder = new TextEncoder();

/** The state-based endorsement policy "one peer of `mspId`", as Fabric's validator reads it. */
export function peerOfPolicy(mspId: string): Uint8Array {
  return peersPolicy([mspId]);
}

const sameBytes = (a: Uint8Array | undefined | null, b: Uint8Array) =>
  !!a && a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * Makes a fact's state key need its owner's peer from now on. Set only when it differs from the
 * committed policy, so an update writes no metadata (changing it would need the current policy).
 */
export async function requireOwnerPeer(ctx: Context, stateKey: string, owner: string): Promise<void> {
  const wanted = peerOfPolicy(owner);
  if (sameBytes(await ctx.stub.getStateValidationParameter(stateKey), wanted)) return;
  await ctx.stub.setStateValidationParameter(stateKey, wanted);
}

/** Where a fact's owner seal lives in the owner's collection. */
export const sealKey = (ctx: Context, registry: string, key: string) =>
  ctx.stub.createCompositeKey('fact-seal', [registry, key]);

/**
 * The owner seal: the hash of the fact's public value, written to the owner's collection, whose
 * endorsement policy (its owner's peer) then covers this write, the first one included.
 */
export async function sealFact(
  ctx: Context,
  owner: string,
  registry: string,
  key: string,
  stored: unknown,
): Promise<void> {
  const seal = { registry, key, valueHash: sha256Hex(canonicalJson(stored)) };
  await ctx.stub.putPrivateData(
    ownerCollection(owner).name,
    sealKey(ctx, registry, key),
    encoder.encode(canonicalJson(seal)),
  );
}

/**
 * The one organisation whose registries a rule reads, or undefined when it reads none the contract
 * knows. A rule over two organisations' facts is refused: each owner's peer must endorse the
 * decision by re-executing it, but a peer holds only its own organisation's details (and the
 * gateway sends transient data only to members of every collection involved), so the endorsers
 * could never agree. Such a rule is split into one step per organisation.
 */
export function ruleOrganisation(rule: ApprovalRule, where: string): string | undefined {
  const owners = new Map<string, string[]>();
  for (const fact of rule.facts) {
    const owner = registryOwner(fact.registry);
    if (!owner) continue;
    owners.set(owner, [...(owners.get(owner) ?? []), fact.registry]);
  }
  if (owners.size > 1) {
    const named = [...owners].map(([owner, registries]) => `${owner} (${registries.join(', ')})`);
    throw new CodedContractError(
      'RULE_SPANS_ORGANISATIONS',
      `${where}: approval rule "${rule.id}" reads the registries of ${named.join(' and ')}: a rule may read one organisation's registries, whose peer endorses its decision; split it into one step per organisation`,
    );
  }
  return owners.keys().next().value;
}

/** What the owner's collection keeps of a rule decision over its facts. */
export interface RuleRead {
  applicationId: string;
  elementInstanceId: string;
  ruleId: string;
  /** The facts read from the owner's registries, by name, as stored (details as salted hash). */
  factsHash: string;
  decision: string;
}

export const ruleReadKey = (ctx: Context, applicationId: string, elementInstanceId: string) =>
  ctx.stub.createCompositeKey('rule-read', [applicationId, elementInstanceId]);

/** Writes the rule read into the owner's collection: the owner's peer must endorse the decision. */
export async function recordRuleRead(ctx: Context, owner: string, read: RuleRead): Promise<void> {
  await ctx.stub.putPrivateData(
    ownerCollection(owner).name,
    ruleReadKey(ctx, read.applicationId, read.elementInstanceId),
    encoder.encode(canonicalJson(read)),
  );
}
