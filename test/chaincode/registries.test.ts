// Put-if-absent facts (ClaimFact) and the definition registry's queries, through the embedded
// ledger; and the business licence, whose company name two applications may race for.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identities, type ServiceTaskJob } from '../../activities/handlers/job.ts';
import { issueLicence, licenceNoOf } from '../../activities/handlers/market-regulation.ts';
import { sha256Hex } from '../../chaincode/src/canonical.ts';
import type { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { ContractError, FactTakenError } from '../../ledger/errors.ts';
import { ENGINE, LAND_REGISTRY, openTemp } from '../ledger/helpers.ts';

let ledger: EmbeddedLedger;
beforeEach(async () => {
  ({ ledger } = await openTemp());
});
afterEach(() => ledger.close());

const MARKET = { mspId: 'MarketRegulationMSP', id: 'market-regulation' };

describe('ClaimFact', () => {
  it('writes an absent key once; the same value again is a duplicate naming the holding tx', async () => {
    const first = await ledger.claimFact('land-title', 'P-1', { status: 'A' }, LAND_REGISTRY);
    expect(first).toEqual({ txId: expect.stringMatching(/^[0-9a-f]{64}$/), duplicate: false });
    const again = await ledger.claimFact('land-title', 'P-1', { status: 'A' }, LAND_REGISTRY);
    expect(again).toEqual({ txId: first.txId, duplicate: true });
    expect(await ledger.factHistory('land-title', 'P-1')).toHaveLength(1);
  });

  it('refuses a different value with FactTakenError naming registry, key and the holding tx', async () => {
    const { txId } = await ledger.claimFact('land-title', 'P-2', { status: 'A' }, LAND_REGISTRY);
    const err = await ledger
      .claimFact('land-title', 'P-2', { status: 'B' }, LAND_REGISTRY)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FactTakenError);
    expect(err).toBeInstanceOf(ContractError);
    expect(err).toMatchObject({ code: 'FACT_TAKEN', registry: 'land-title', key: 'P-2' });
    expect((err as Error).message).toBe(
      `ClaimFact: land-title/P-2 is already held by tx ${txId} with a different value`,
    );
    expect(await ledger.getFact('land-title', 'P-2')).toEqual({ status: 'A' });
  });

  it("applies PutFact's owner rule, with codes a client can tell apart", async () => {
    const forbidden = await ledger.claimFact('land-title', 'P-3', { status: 'M' }, MARKET).catch((e) => e);
    expect(forbidden).toBeInstanceOf(ContractError);
    expect(forbidden).not.toBeInstanceOf(FactTakenError);
    expect(forbidden).toMatchObject({
      code: 'FORBIDDEN',
      message: 'organisation MarketRegulationMSP may not write registry land-title',
    });
    const putForbidden = await ledger.putFact('land-title', 'P-3', { status: 'M' }, ENGINE).catch((e) => e);
    expect(putForbidden).toMatchObject({ code: 'FORBIDDEN' });
    const unknown = await ledger.claimFact('no-such-registry', 'K', {}, LAND_REGISTRY).catch((e) => e);
    expect(unknown).toMatchObject({
      code: 'UNKNOWN_REGISTRY',
      message: expect.stringContaining('no-such-registry'),
    });
    // A claim carries no private details, so a personal field is refused as PutFact refuses it.
    await expect(ledger.claimFact('land-title', 'P-3', { owner: 'X' }, LAND_REGISTRY)).rejects.toThrow(
      /personal/,
    );
    await expect(ledger.claimFact('land-title', 'P-3', null, LAND_REGISTRY)).rejects.toThrow(
      /must not be null/,
    );
    expect(await ledger.getFact('land-title', 'P-3')).toBeNull();
  });

  it('of concurrent claims of one key with different values exactly one wins', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        ledger.claimFact('land-title', 'P-race', { status: `S${i}` }, LAND_REGISTRY),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(5);
    for (const r of lost) expect(r.reason).toBeInstanceOf(FactTakenError);
    const history = await ledger.factHistory('land-title', 'P-race');
    expect(history).toHaveLength(1);
    expect(history[0].txId).toBe((won[0] as PromiseFulfilledResult<{ txId: string }>).value.txId);
  });

  it('concurrent claims of the same value: one write, the others duplicates', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        ledger.claimFact('land-title', 'P-same', { status: 'A' }, LAND_REGISTRY),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.txId)).size).toBe(1);
    expect(await ledger.factHistory('land-title', 'P-same')).toHaveLength(1);
  });
});

describe('issueLicence', () => {
  const job = (applicationId: string, companyName: string): ServiceTaskJob => ({
    taskType: 'market-regulation.issue-licence',
    applicationId,
    elementId: 'issueLicence',
    elementInstanceId: 'issueLicence#1',
    variables: { companyName },
  });

  it('two applications racing for one name: one licence, the other NAME_TAKEN', async () => {
    const results = await Promise.allSettled([
      issueLicence(job('app-race-1', 'Race Widgets Ltd'), ledger, identities.marketRegulation),
      issueLicence(job('app-race-2', 'RACE  widgets ltd'), ledger, identities.marketRegulation),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{
      licenceNo: string;
    }>[];
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost[0].reason).toMatchObject({
      type: 'BpmnError',
      details: ['NAME_TAKEN', { nameAvailable: false }],
    });
    const holder = (await ledger.getFact('company-name', 'race widgets ltd')) as { applicationId: string };
    expect(won[0].value.licenceNo).toBe(licenceNoOf(holder.applicationId));
    // The winner retried, even under another spelling, gets its own licence back.
    const retried = await issueLicence(
      job(holder.applicationId, 'Race Widgets LTD'),
      ledger,
      identities.marketRegulation,
    );
    expect(retried).toEqual(won[0].value);
    expect(await ledger.factHistory('company-name', 'race widgets ltd')).toHaveLength(1);
  });
});

describe('definition registry queries', () => {
  const def = (key: string, version: number) => ({
    key,
    version,
    hash: sha256Hex(`${key} v${version}`),
    deployer: 'dana',
    modelHash: sha256Hex(`model of ${key} v${version}`),
    rules: {},
    decisionCalls: {},
  });

  it('GetDefinition returns one registered version, or null', async () => {
    const { txId } = await ledger.registerDefinition(def('property-registration', 1), ENGINE);
    expect(await ledger.definitionRecord('property-registration', 1)).toEqual({
      ...def('property-registration', 1),
      registeredBy: 'GovflowMSP',
      txId,
      timestamp: expect.any(String),
    });
    expect(await ledger.definitionRecord('property-registration', 2)).toBeNull();
    expect(await ledger.definitionRecord('nothing', 1)).toBeNull();
    await expect(ledger.evaluate('GetDefinition', ['property-registration', '0'])).rejects.toThrow(
      /"version" must be a positive integer/,
    );
    await expect(ledger.evaluate('GetDefinition', ['', '1'])).rejects.toThrow(/field "key" is required/);
  });

  it('ListDefinitionVersions lists every version of one key, oldest first, and no other key', async () => {
    for (const version of [1, 2, 10]) await ledger.registerDefinition(def('permit', version), ENGINE);
    await ledger.registerDefinition(def('permit-renewal', 1), ENGINE);
    await ledger.registerDefinition(def('perm', 1), ENGINE);
    const versions = await ledger.definitionVersions('permit');
    expect(versions.map((v) => [v.key, v.version, v.hash])).toEqual(
      [1, 2, 10].map((n) => ['permit', n, def('permit', n).hash]),
    );
    expect(await ledger.definitionVersions('unknown')).toEqual([]);
  });
});
