// The govflow contract, run through the embedded ledger (the same class a Fabric peer would run).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import { stepRecordHash } from '../../chaincode/src/step-record.ts';
import type { ApprovalRule } from '../../definitions/model.ts';
import type { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { ContractError } from '../../ledger/errors.ts';
import type { EvaluateRuleInput } from '../../ledger/types.ts';
import { ENGINE, LAND_REGISTRY, openTemp, step } from '../ledger/helpers.ts';

let ledger: EmbeddedLedger;
beforeEach(async () => {
  ({ ledger } = await openTemp());
});
afterEach(() => ledger.close());

const TITLE_RULE: ApprovalRule = {
  id: 'title-clear',
  facts: [
    { name: 'title', registry: 'land-title', key: 'parcel' },
    { name: 'mortgage', registry: 'encumbrance', key: 'parcel' },
  ],
  approveWhen:
    'title.status = "registered" and title.owner = seller and (mortgage = null or mortgage.active = false)',
  rejectWhen: 'title = null or title.status = "seized" or title.owner != seller',
};

function review(
  applicationId: string,
  variables: Record<string, unknown>,
  rule = TITLE_RULE,
): EvaluateRuleInput {
  return { applicationId, elementId: 'review', elementInstanceId: 'review#1', rule, variables };
}

describe('RecordStep', () => {
  it('records a step once: a retry with the same element instance returns the first record', async () => {
    const first = await ledger.recordStep(step('app-1', 1), ENGINE);
    expect(first.duplicate).toBe(false);
    expect(first.record).toMatchObject({ applicationId: 'app-1', seq: 1, prevHash: '' });
    expect(first.record.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(first.record.hash).toBe(stepRecordHash(first.record));

    const retry = await ledger.recordStep(step('app-1', 1, { decision: 'something else' }), ENGINE);
    expect(retry).toEqual({ record: first.record, duplicate: true });
    expect(await ledger.trail('app-1')).toHaveLength(1);
  });

  it('chains the steps of an application: seq 1..3, each prevHash the previous hash', async () => {
    const records = [];
    for (let n = 1; n <= 3; n++) records.push((await ledger.recordStep(step('app-1', n), ENGINE)).record);
    await ledger.recordStep(step('app-2', 1), ENGINE); // another application has its own chain
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(records.map((r) => r.prevHash)).toEqual(['', records[0].hash, records[1].hash]);
    const trail = await ledger.trail('app-1');
    expect(trail.map((e) => e.record)).toEqual(records);
    expect(trail.every((e) => typeof e.blockNumber === 'number')).toBe(true);
    expect((await ledger.trail('app-2'))[0].record).toMatchObject({ seq: 1, prevHash: '' });
    expect(await ledger.verify('app-1')).toEqual({ valid: true, records: 3, problems: [] });
    expect(JSON.parse(await ledger.evaluate('VerifyTrail', ['app-1']))).toEqual({
      valid: true,
      records: 3,
      problems: [],
    });
  });

  it('rejects bad input with a ContractError naming the field', async () => {
    await expect(ledger.recordStep(step('app-1', 1, { dataHash: 'nope' }), ENGINE)).rejects.toThrow(
      /field "dataHash" must be a lowercase hex SHA-256/,
    );
    await expect(ledger.recordStep(step('app-1', 1, { actor: '' }), ENGINE)).rejects.toBeInstanceOf(
      ContractError,
    );
    await expect(ledger.recordStep(step('', 1), ENGINE)).rejects.toThrow(/field "applicationId" is required/);
    await expect(ledger.submit('NoSuchTransaction', [], ENGINE)).rejects.toThrow(/does not exist/);
    expect(await ledger.trail('app-1')).toEqual([]);
  });
});

describe('EvaluateRule', () => {
  beforeEach(async () => {
    await ledger.putFact('land-title', 'P-1001', { owner: 'Zhang Wei', status: 'registered' }, LAND_REGISTRY);
    await ledger.putFact('encumbrance', 'P-1001', { active: false }, LAND_REGISTRY);
    await ledger.putFact('land-title', 'P-2002', { owner: 'Li Na', status: 'registered' }, LAND_REGISTRY);
    await ledger.putFact('encumbrance', 'P-2002', { active: true }, LAND_REGISTRY);
    await ledger.putFact('land-title', 'P-3003', { owner: 'Wang Fang', status: 'seized' }, LAND_REGISTRY);
  });

  it('approves when the facts satisfy approveWhen, and records the decision as the step', async () => {
    const variables = { parcel: 'P-1001', seller: 'Zhang Wei' };
    const result = await ledger.evaluateRule(review('app-1', variables), ENGINE);
    expect(result.evaluation).toEqual({
      decision: 'approve',
      reasons: [`approveWhen held: ${TITLE_RULE.approveWhen}`],
    });
    expect(result.record).toMatchObject({
      actor: 'contract:title-clear',
      decision: 'approve',
      elementId: 'review',
      seq: 1,
    });
    expect(result.record.reasons).toEqual(result.evaluation.reasons);
    const facts = { title: { owner: 'Zhang Wei', status: 'registered' }, mortgage: { active: false } };
    expect(result.record.dataHash).toBe(sha256Hex(canonicalJson({ variables, facts })));
  });

  it('rejects when rejectWhen holds, and says so', async () => {
    const { evaluation } = await ledger.evaluateRule(
      review('app-1', { parcel: 'P-3003', seller: 'Wang Fang' }),
      ENGINE,
    );
    expect(evaluation.decision).toBe('reject');
    expect(evaluation.reasons).toContain('fact encumbrance/P-3003 missing');
    expect(evaluation.reasons).toContain(`rejectWhen held: ${TITLE_RULE.rejectWhen}`);
  });

  it('leaves the decision to a clerk when neither condition holds, naming what was not met', async () => {
    const { evaluation } = await ledger.evaluateRule(
      review('app-1', { parcel: 'P-2002', seller: 'Li Na' }),
      ENGINE,
    );
    expect(evaluation).toEqual({
      decision: 'manual',
      reasons: ['not met: (mortgage = null or mortgage.active = false)'],
    });
  });

  it('reports missing facts by registry and key', async () => {
    const rule: ApprovalRule = { ...TITLE_RULE, rejectWhen: undefined };
    const { evaluation } = await ledger.evaluateRule(
      review('app-1', { parcel: 'P-100', seller: 'x' }, rule),
      ENGINE,
    );
    expect(evaluation.decision).toBe('manual');
    expect(evaluation.reasons).toEqual([
      'fact land-title/P-100 missing',
      'fact encumbrance/P-100 missing',
      'not met: title.status = "registered"',
      'not met: title.owner = seller',
    ]);
  });

  it('makes a FEEL error a manual decision with the reason, never a failed transaction', async () => {
    const rule: ApprovalRule = { ...TITLE_RULE, approveWhen: 'title.status = "registered" and' };
    const { evaluation, record } = await ledger.evaluateRule(
      review('app-1', { parcel: 'P-1001', seller: 'Zhang Wei' }, rule),
      ENGINE,
    );
    expect(evaluation.decision).toBe('manual');
    expect(evaluation.reasons.join('\n')).toMatch(/FEEL error in approveWhen/);
    expect(record.decision).toBe('manual');

    const badKey: ApprovalRule = {
      ...TITLE_RULE,
      facts: [{ name: 'title', registry: 'land-title', key: 'parcel +* 1' }],
    };
    const second = await ledger.evaluateRule({ ...review('app-2', { parcel: 'P-1001' }, badKey) }, ENGINE);
    expect(second.evaluation.decision).toBe('manual');
    expect(second.evaluation.reasons[0]).toMatch(/fact title: FEEL error in key expression/);
  });

  it('is idempotent: a retry returns the recorded evaluation even if the facts changed since', async () => {
    const input = review('app-1', { parcel: 'P-1001', seller: 'Zhang Wei' });
    const first = await ledger.evaluateRule(input, ENGINE);
    await ledger.putFact('land-title', 'P-1001', { owner: 'Zhang Wei', status: 'seized' }, LAND_REGISTRY);
    const retry = await ledger.evaluateRule(input, ENGINE);
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await ledger.trail('app-1')).toHaveLength(1);
  });

  it('rejects a malformed rule with a ContractError naming the field', async () => {
    const rule = {
      id: 'r',
      facts: [{ name: 'title', registry: 'land-title' }],
      approveWhen: 'true',
    } as unknown as ApprovalRule;
    await expect(ledger.evaluateRule(review('app-1', {}, rule), ENGINE)).rejects.toThrow(
      /rule\.facts\[0\]\.key/,
    );
  });
});

describe('facts', () => {
  it('lets only the owning organisation write a registry, and writes nothing otherwise', async () => {
    await expect(ledger.putFact('land-title', 'P-9', { owner: 'Mallory' }, ENGINE)).rejects.toThrow(
      'organisation GovflowMSP may not write registry land-title',
    );
    await expect(
      ledger.putFact('tax-clearance', 'T-1', { clear: true }, { mspId: 'LandRegistryMSP', id: 'x' }),
    ).rejects.toBeInstanceOf(ContractError);
    await expect(ledger.putFact('no-such-registry', 'K', {}, LAND_REGISTRY)).rejects.toThrow(
      /unknown registry/,
    );
    expect(await ledger.getFact('land-title', 'P-9')).toBeNull();
    expect(await ledger.verifyAll()).toEqual({ valid: true, records: 0, problems: [] });
    await ledger.putFact('tax-clearance', 'T-1', { clear: true }, { mspId: 'TaxBureauMSP', id: 'tax' });
    expect(await ledger.getFact('tax-clearance', 'T-1')).toEqual({ clear: true });
  });

  it('keeps every version of a fact, newest first, with its transaction', async () => {
    const a = await ledger.putFact('land-title', 'P-1', { owner: 'A' }, LAND_REGISTRY);
    const b = await ledger.putFact('land-title', 'P-1', { owner: 'B' }, LAND_REGISTRY);
    const history = await ledger.factHistory('land-title', 'P-1');
    expect(history.map((h) => [h.txId, h.value, h.isDelete])).toEqual([
      [b.txId, { owner: 'B' }, false],
      [a.txId, { owner: 'A' }, false],
    ]);
    expect(Date.parse(history[0].timestamp)).toBeGreaterThanOrEqual(Date.parse(history[1].timestamp));
    expect(await ledger.getFact('land-title', 'P-1')).toEqual({ owner: 'B' });
  });
});

describe('RegisterDefinition', () => {
  it('is idempotent for the same content and refuses changed content under the same version', async () => {
    const def = { key: 'property-registration', version: 1, hash: sha256Hex('v1'), deployer: 'dana' };
    const first = await ledger.registerDefinition(def, ENGINE);
    expect(await ledger.registerDefinition(def, ENGINE)).toEqual(first);
    await expect(
      ledger.registerDefinition({ ...def, hash: sha256Hex('v1 changed') }, ENGINE),
    ).rejects.toThrow(/already registered with hash/);
    expect(
      (await ledger.registerDefinition({ ...def, version: 2, hash: sha256Hex('v2') }, ENGINE)).txId,
    ).not.toBe(first.txId);
  });
});
