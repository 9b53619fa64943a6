// The authority attacks on a real Fabric network: each organisation's own identity, through
// @hyperledger/fabric-gateway, choosing who endorses. The contract refuses the wrong submitter
// (FORBIDDEN); Fabric's validation refuses a transaction its endorsement policies do not cover
// (ENDORSEMENT_POLICY_FAILURE) and commits nothing of it: a fact needs its owner's peer, a rule
// decision the engine's and the fact owner's, a step record the engine's. On the normal path the
// gateway collects exactly those endorsements. Runs on the test run's network (test/global-setup.ts),
// or on the network in FABRIC_NETWORK_DIR when the run has none.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EndorseError, StatusCode } from '@hyperledger/fabric-gateway';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import { step } from '../ledger/helpers.ts';
import { endorsingOrganisations, type OrgClient, openOrgClient } from '../support/fabric-orgs.ts';
import { unique } from '../support/ledgers.ts';

const ENGINE = 'GovflowMSP';
const LAND = 'LandRegistryMSP';
const TAX = 'TaxBureauMSP';

function networkDir(): string | undefined {
  const provided = inject('fabricNetworkDir');
  if (provided) return provided;
  const own = process.env.FABRIC_NETWORK_DIR;
  return own && existsSync(join(own, 'network.json')) ? own : undefined;
}
const network = networkDir();
const skipped = network ? '' : ` (skipped: ${inject('fabricUnavailable') ?? 'no Fabric network'})`;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Outcome {
  txId: string;
  code: number;
  committed: boolean;
  result: string;
}

/** Endorses (by `endorsers`, or as the gateway plans), submits and waits for the commit status. */
async function transact(
  client: OrgClient,
  fn: string,
  args: string[],
  options: { endorsers?: string[]; transient?: Record<string, string> } = {},
): Promise<Outcome> {
  const proposal = client.contract.newProposal(fn, {
    arguments: args,
    transientData: options.transient
      ? Object.fromEntries(Object.entries(options.transient).map(([k, v]) => [k, encoder.encode(v)]))
      : undefined,
    endorsingOrganizations: options.endorsers,
  });
  const transaction = await proposal.endorse();
  const status = await (await transaction.submit()).getStatus();
  return {
    txId: proposal.getTransactionId(),
    code: status.code,
    committed: status.successful,
    result: decoder.decode(transaction.getResult()),
  };
}

/** The endorsing peers' messages when the chaincode refuses a proposal. */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  const err = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the proposal was endorsed').toBeInstanceOf(EndorseError);
  const e = err as EndorseError;
  return [e.message, ...e.details.map((d) => `${d.mspId}: ${d.message}`)].join('\n');
}

const evaluate = async (client: OrgClient, fn: string, ...args: string[]) =>
  JSON.parse(decoder.decode(await client.contract.evaluateTransaction(fn, ...args)));

const TITLE_RULE = {
  id: 'title-clear',
  facts: [{ name: 'title', registry: 'land-title', key: 'parcel' }],
  approveWhen: 'title.status = "registered"',
};

describe.skipIf(!network)(`endorsement policies on Fabric${skipped}`, () => {
  const clients: Record<string, OrgClient> = {};
  const definitionKey = unique('endorsed-process');

  beforeAll(async () => {
    for (const mspId of [ENGINE, LAND, TAX]) clients[mspId] = openOrgClient(network as string, mspId);
    const definition = {
      key: definitionKey,
      version: 1,
      hash: sha256Hex(`xml of ${definitionKey}`),
      deployer: 'dana',
      modelHash: sha256Hex(`model of ${definitionKey}`),
      rules: { review: TITLE_RULE },
      decisionCalls: {},
    };
    const registered = await transact(clients[ENGINE], 'RegisterDefinition', [canonicalJson(definition)]);
    expect(registered.committed).toBe(true);
  });
  afterAll(() => {
    for (const client of Object.values(clients)) client.close();
  });

  const putFact = (as: string, registry: string, key: string, value: unknown, endorsers?: string[]) =>
    transact(clients[as], 'PutFact', [registry, key, canonicalJson(value)], { endorsers });
  const getFact = (registry: string, key: string) => evaluate(clients[ENGINE], 'GetFact', registry, key);

  it('a department identity calling RecordStep is refused by the contract, whichever peer endorses', async () => {
    const input = canonicalJson(step(unique('forged-app'), 1, { actor: 'engine' }));
    for (const endorsers of [undefined, [ENGINE]]) {
      const message = await refusal(transact(clients[LAND], 'RecordStep', [input], { endorsers }));
      expect(message).toMatch(/organisation LandRegistryMSP may not record engine steps.*FORBIDDEN/);
    }
  });

  it('TaxBureauMSP writing the land registry is refused by the contract (FORBIDDEN), nothing written', async () => {
    const parcel = unique('P-tax');
    const message = await refusal(putFact(TAX, 'land-title', parcel, { status: 'registered' }));
    expect(message).toMatch(/organisation TaxBureauMSP may not write registry land-title.*FORBIDDEN/);
    expect(await getFact('land-title', parcel)).toBeNull();
  });

  it("a new fact needs the owner's peer and the engine's: the engine's alone is ENDORSEMENT_POLICY_FAILURE", async () => {
    const parcel = unique('P-new');
    const forged = await putFact(LAND, 'land-title', parcel, { status: 'registered' }, [ENGINE]);
    expect(forged.committed).toBe(false);
    expect(forged.code).toBe(StatusCode.ENDORSEMENT_POLICY_FAILURE);
    // The owner's peer alone does not do either: a key's first write falls under the chaincode policy.
    const ownerOnly = await putFact(LAND, 'land-title', parcel, { status: 'registered' }, [LAND]);
    expect(ownerOnly.code).toBe(StatusCode.ENDORSEMENT_POLICY_FAILURE);
    expect(await getFact('land-title', parcel)).toBeNull();

    const normal = await putFact(LAND, 'land-title', parcel, { status: 'registered' });
    expect(normal.committed).toBe(true);
    expect(await endorsingOrganisations(clients[LAND].network, normal.txId)).toEqual([ENGINE, LAND]);
    expect(await getFact('land-title', parcel)).toEqual({ status: 'registered' });
  });

  it("an update of a fact needs its owner's peer: the engine's alone fails, the owner's alone commits", async () => {
    const parcel = unique('P-upd');
    expect((await putFact(LAND, 'land-title', parcel, { status: 'registered' })).committed).toBe(true);

    const forged = await putFact(LAND, 'land-title', parcel, { status: 'seized' }, [ENGINE]);
    expect(forged.committed).toBe(false);
    expect(forged.code).toBe(StatusCode.ENDORSEMENT_POLICY_FAILURE);
    expect(await getFact('land-title', parcel)).toEqual({ status: 'registered' });

    // The key's state-based policy names the owner's peer: the engine's is not needed to update.
    const ownerOnly = await putFact(LAND, 'land-title', parcel, { status: 'transferred' }, [LAND]);
    expect(ownerOnly.committed).toBe(true);
    const normal = await putFact(LAND, 'land-title', parcel, { status: 'registered' });
    expect(normal.committed).toBe(true);
    expect(await endorsingOrganisations(clients[LAND].network, normal.txId)).toEqual([LAND]);
    expect(await getFact('land-title', parcel)).toEqual({ status: 'registered' });
  });

  it("a rule decision needs the fact owner's peer: the engine's alone is ENDORSEMENT_POLICY_FAILURE, no step recorded", async () => {
    const parcel = unique('P-rule');
    expect((await putFact(LAND, 'land-title', parcel, { status: 'registered' })).committed).toBe(true);
    const applicationId = unique('rule-app');
    const call = canonicalJson({
      applicationId,
      elementId: 'review',
      elementInstanceId: 'review#1',
      definitionKey,
      definitionVersion: 1,
    });
    const transient = { variables: canonicalJson({ parcel }) };

    const forged = await transact(clients[ENGINE], 'EvaluateRule', [call], {
      endorsers: [ENGINE],
      transient,
    });
    expect(forged.committed).toBe(false);
    expect(forged.code).toBe(StatusCode.ENDORSEMENT_POLICY_FAILURE);
    expect(await evaluate(clients[ENGINE], 'GetTrail', applicationId)).toEqual([]);

    const normal = await transact(clients[ENGINE], 'EvaluateRule', [call], { transient });
    expect(normal.committed).toBe(true);
    expect(JSON.parse(normal.result).evaluation.decision).toBe('approve');
    expect(await endorsingOrganisations(clients[ENGINE].network, normal.txId)).toEqual([ENGINE, LAND]);
    const trail = await evaluate(clients[ENGINE], 'GetTrail', applicationId);
    expect(trail.map((r: { decision: string }) => r.decision)).toEqual(['approve']);
  });

  it("a step record needs the engine's peer: a department's peer alone is ENDORSEMENT_POLICY_FAILURE", async () => {
    const applicationId = unique('step-app');
    const input = canonicalJson(step(applicationId, 1));
    const forged = await transact(clients[ENGINE], 'RecordStep', [input], { endorsers: [LAND] });
    expect(forged.committed).toBe(false);
    expect(forged.code).toBe(StatusCode.ENDORSEMENT_POLICY_FAILURE);
    expect(await evaluate(clients[ENGINE], 'GetTrail', applicationId)).toEqual([]);

    const normal = await transact(clients[ENGINE], 'RecordStep', [input]);
    expect(normal.committed).toBe(true);
    expect(await endorsingOrganisations(clients[ENGINE].network, normal.txId)).toEqual([ENGINE]);
    expect(await evaluate(clients[ENGINE], 'GetTrail', applicationId)).toHaveLength(1);
  });
});
