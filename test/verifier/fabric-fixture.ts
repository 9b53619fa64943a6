// A Fabric network for the receipt tests: the one the test setup provides (or FABRIC_NETWORK_DIR),
// a ledger on it that acts as the engine (and as the land registry, to put the facts a rule reads),
// a real trail written through it, and that trail's receipt and the channel's trust anchors.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { sha256Hex } from '../../chaincode/src/canonical.ts';
import { FabricLedger } from '../../ledger/fabric/index.ts';
import { issueReceipt } from '../../ledger/receipts.ts';
import type { FabricReceipt } from '../../verifier/fabric-receipt.ts';
import type { FabricTrust } from '../../verifier/fabric-trust.ts';
import { ENGINE, LAND_REGISTRY, registerProcess, step } from '../ledger/helpers.ts';
import { unique } from '../support/ledgers.ts';

/** An organisation's own connection profile on the network in `dir`. */
export const organisationProfile = (dir: string, mspId: string) => join(dir, 'profiles', `${mspId}.json`);

/** The network directory, or why there is none. */
export function fabricNetwork(): { dir?: string; unavailable?: string } {
  const dir = inject('fabricNetworkDir') || process.env.FABRIC_NETWORK_DIR;
  if (!dir)
    return {
      unavailable: `no Fabric network: ${inject('fabricUnavailable') ?? 'set FABRIC_NETWORK_DIR to a directory started with npm run fabric:up'}`,
    };
  if (!existsSync(join(dir, 'network.json')))
    return { unavailable: `no Fabric network: ${join(dir, 'network.json')} does not exist` };
  return { dir };
}

/** The engine's ledger connection (GovflowMSP's profile, its own peer and identity). */
export const openLedger = (dir: string): FabricLedger =>
  FabricLedger.open(organisationProfile(dir, 'GovflowMSP'));

export const TITLE_RULE = {
  id: 'title-clear',
  facts: [
    { name: 'title', registry: 'land-title', key: 'parcel' },
    { name: 'mortgage', registry: 'encumbrance', key: 'parcel' },
  ],
  approveWhen: 'title.status = "registered" and (mortgage = null or mortgage.active = false)',
  rejectWhen: 'title = null or title.status = "seized"',
};

export interface FabricTrail {
  applicationId: string;
  receipt: FabricReceipt;
  trust: FabricTrust;
}

/** An application of three engine steps citing a registered definition. */
export async function engineTrail(ledger: FabricLedger): Promise<FabricTrail> {
  const applicationId = unique('fabric-receipt');
  const definition = await registerProcess(ledger, unique('receipt-process'), {});
  for (let n = 1; n <= 3; n++)
    await ledger.recordStep(
      step(applicationId, n, {
        definitionKey: definition.definitionKey,
        definitionHash: sha256Hex(`xml of ${definition.definitionKey}`),
      }),
      ENGINE,
    );
  return finish(ledger, applicationId);
}

/** An application whose second step the contract decides by a rule reading land registry facts. */
export async function ruleTrail(ledger: FabricLedger): Promise<FabricTrail> {
  const applicationId = unique('fabric-rule-receipt');
  const parcel = unique('parcel');
  // The land registry writes its facts through its own connection, as its own process would.
  const landRegistry = FabricLedger.open(
    organisationProfile(fabricNetwork().dir as string, LAND_REGISTRY.mspId),
  );
  try {
    await landRegistry.putFact('land-title', parcel, { status: 'registered' }, LAND_REGISTRY, {
      owner: 'Zhang Wei',
    });
    await landRegistry.putFact('encumbrance', parcel, { active: false }, LAND_REGISTRY);
  } finally {
    await landRegistry.close();
  }
  const definition = await registerProcess(ledger, unique('rule-process'), { rules: { review: TITLE_RULE } });
  await ledger.recordStep(step(applicationId, 1), ENGINE);
  await ledger.evaluateRule(
    {
      applicationId,
      elementId: 'review',
      elementInstanceId: 'review#1',
      ...definition,
      variables: { parcel },
    },
    ENGINE,
  );
  return finish(ledger, applicationId);
}

async function finish(ledger: FabricLedger, applicationId: string): Promise<FabricTrail> {
  const receipt = (await issueReceipt(ledger, applicationId)) as FabricReceipt;
  return { applicationId, receipt, trust: await ledger.fabricBlocks.trust() };
}

/**
 * Two applications whose first steps were ordered into the same block (submitted together, tried
 * again until the orderer cut them into one), with the receipt of the one at the higher index.
 */
export async function sameBlockPair(ledger: FabricLedger): Promise<FabricTrail & { other: string }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const [a, b] = [unique('fabric-pair-a'), unique('fabric-pair-b')];
    await Promise.all([ledger.recordStep(step(a, 1), ENGINE), ledger.recordStep(step(b, 1), ENGINE)]);
    const [ta, tb] = await Promise.all([finish(ledger, a), finish(ledger, b)]);
    const [ra, rb] = [ta.receipt.records[0].transaction, tb.receipt.records[0].transaction];
    if (ra.blockNumber === rb.blockNumber)
      return ra.txIndex > rb.txIndex ? { ...ta, other: b } : { ...tb, other: a };
  }
  throw new Error('ten pairs of concurrent steps were never cut into one block');
}
