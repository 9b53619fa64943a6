// The govflow contract through each ledger: the embedded ledger runs the contract class in-process,
// a Fabric network runs the same class as chaincode (that suite runs when a network is up).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import { stepRecordHash } from '../../chaincode/src/step-record.ts';
import type { ApprovalRule } from '../../definitions/model.ts';
import type { ContractLedger } from '../../ledger/contract-ledger.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { ContractError } from '../../ledger/errors.ts';
import type { EvaluateRuleInput } from '../../ledger/types.ts';
import { ENGINE, LAND_REGISTRY, registerProcess, step } from '../ledger/helpers.ts';
import { ledgersUnderTest, type OrganisationsLedger, unique } from '../support/ledgers.ts';

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

/** The review step of an application, its rule registered with a definition of its own. */
async function review(
  ledger: ContractLedger,
  applicationId: string,
  variables: Record<string, unknown>,
  rule = TITLE_RULE,
): Promise<EvaluateRuleInput> {
  const definition = await registerProcess(ledger, unique('review-process'), { rules: { review: rule } });
  return { applicationId, elementId: 'review', elementInstanceId: 'review#1', ...definition, variables };
}

describe.each(ledgersUnderTest())('the contract on the $kind ledger', (target) => {
  let ledger: ContractLedger;
  /** Application ids and registry keys of this test (Fabric keeps earlier runs' state). */
  let app1: string;
  let app2: string;
  beforeEach(async (context) => {
    if (target.unavailable) context.skip(target.unavailable);
    ledger = await target.open();
    app1 = unique(app1);
    app2 = unique(app2);
  });
  afterEach(() => ledger?.close());
  const embedded = () => (ledger instanceof EmbeddedLedger ? ledger : undefined);

  describe('RecordStep', () => {
    it('records a step once: a retry with the same input returns the first record, another input is refused', async () => {
      const first = await ledger.recordStep(step(app1, 1), ENGINE);
      expect(first.duplicate).toBe(false);
      expect(first.record).toMatchObject({ applicationId: app1, seq: 1, prevHash: '' });
      expect(first.record.txId).toMatch(/^[0-9a-f]{64}$/);
      expect(first.record.hash).toBe(stepRecordHash(first.record));

      const retry = await ledger.recordStep(step(app1, 1), ENGINE);
      expect(retry).toEqual({ record: first.record, duplicate: true });
      await expect(
        ledger.recordStep(step(app1, 1, { decision: 'something else' }), ENGINE),
      ).rejects.toMatchObject({ code: 'STEP_CONFLICT' });
      expect(await ledger.trail(app1)).toHaveLength(1);
    });

    it('chains the steps of an application: seq 1..3, each prevHash the previous hash', async () => {
      const records = [];
      for (let n = 1; n <= 3; n++) records.push((await ledger.recordStep(step(app1, n), ENGINE)).record);
      await ledger.recordStep(step(app2, 1), ENGINE); // another application has its own chain
      expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
      expect(records.map((r) => r.prevHash)).toEqual(['', records[0].hash, records[1].hash]);
      const trail = await ledger.trail(app1);
      expect(trail.map((e) => e.record)).toEqual(records);
      expect(trail.every((e) => typeof e.blockNumber === 'number')).toBe(true);
      expect((await ledger.trail(app2))[0].record).toMatchObject({ seq: 1, prevHash: '' });
      expect(await ledger.verify(app1)).toEqual({ valid: true, records: 3, problems: [] });
      const local = embedded();
      if (local) {
        // the contract's own check agrees with the check of the blocks on disk
        expect(JSON.parse(await local.evaluate('VerifyTrail', [app1]))).toEqual({
          valid: true,
          records: 3,
          problems: [],
        });
      }
    });

    it('rejects bad input with a ContractError naming the field', async () => {
      await expect(ledger.recordStep(step(app1, 1, { dataHash: 'nope' }), ENGINE)).rejects.toThrow(
        /field "dataHash" must be a lowercase hex SHA-256/,
      );
      await expect(ledger.recordStep(step(app1, 1, { actor: '' }), ENGINE)).rejects.toBeInstanceOf(
        ContractError,
      );
      await expect(ledger.recordStep(step('', 1), ENGINE)).rejects.toThrow(
        /field "applicationId" is required/,
      );
      const local = embedded();
      if (local)
        await expect(local.submit('NoSuchTransaction', [], ENGINE)).rejects.toThrow(/does not exist/);
      expect(await ledger.trail(app1)).toEqual([]);
    });
  });

  describe('EvaluateRule', () => {
    let p1: string;
    let p2: string;
    let p3: string;
    let pMissing: string;
    beforeEach(async () => {
      [p1, p2, p3, pMissing] = ['P-1001', 'P-2002', 'P-3003', 'P-100'].map(unique);
      await ledger.putFact('land-title', p1, { status: 'registered' }, LAND_REGISTRY, { owner: 'Zhang Wei' });
      await ledger.putFact('encumbrance', p1, { active: false }, LAND_REGISTRY);
      await ledger.putFact('land-title', p2, { status: 'registered' }, LAND_REGISTRY, { owner: 'Li Na' });
      await ledger.putFact('encumbrance', p2, { active: true }, LAND_REGISTRY);
      await ledger.putFact('land-title', p3, { status: 'seized' }, LAND_REGISTRY, { owner: 'Wang Fang' });
    });

    it('approves when the facts satisfy approveWhen, and records the decision as the step', async () => {
      const variables = { parcel: p1, seller: 'Zhang Wei' };
      const result = await ledger.evaluateRule(await review(ledger, app1, variables), ENGINE);
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
      // The facts as stored: the owner only through the title's salted detailsHash, so the
      // record's hash cannot be used to confirm a guessed owner.
      const title = await ledger.getFact('land-title', p1);
      expect(title).toEqual({ status: 'registered', detailsHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const facts = { title, mortgage: { active: false } };
      expect(result.record.dataHash).toBe(sha256Hex(canonicalJson({ variables, facts })));
    });

    it('rejects when rejectWhen holds, and says so', async () => {
      const { evaluation } = await ledger.evaluateRule(
        await review(ledger, app1, { parcel: p3, seller: 'Wang Fang' }),
        ENGINE,
      );
      expect(evaluation.decision).toBe('reject');
      expect(evaluation.reasons).toContain(`fact encumbrance/${p3} missing`);
      expect(evaluation.reasons).toContain(`rejectWhen held: ${TITLE_RULE.rejectWhen}`);
    });

    it('leaves the decision to a clerk when neither condition holds, naming what was not met', async () => {
      const { evaluation } = await ledger.evaluateRule(
        await review(ledger, app1, { parcel: p2, seller: 'Li Na' }),
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
        await review(ledger, app1, { parcel: pMissing, seller: 'x' }, rule),
        ENGINE,
      );
      expect(evaluation.decision).toBe('manual');
      expect(evaluation.reasons).toEqual([
        `fact land-title/${pMissing} missing`,
        `fact encumbrance/${pMissing} missing`,
        'not met: title.status = "registered"',
        'not met: title.owner = seller',
      ]);
    });

    it('makes a FEEL error a manual decision with the reason, never a failed transaction', async () => {
      const rule: ApprovalRule = { ...TITLE_RULE, approveWhen: 'title.status = "registered" and' };
      const { evaluation, record } = await ledger.evaluateRule(
        await review(ledger, app1, { parcel: p1, seller: 'Zhang Wei' }, rule),
        ENGINE,
      );
      expect(evaluation.decision).toBe('manual');
      expect(evaluation.reasons.join('\n')).toMatch(/FEEL error in approveWhen/);
      expect(record.decision).toBe('manual');

      const badKey: ApprovalRule = {
        ...TITLE_RULE,
        facts: [{ name: 'title', registry: 'land-title', key: 'parcel +* 1' }],
      };
      const second = await ledger.evaluateRule(await review(ledger, app2, { parcel: p1 }, badKey), ENGINE);
      expect(second.evaluation.decision).toBe('manual');
      expect(second.evaluation.reasons[0]).toMatch(/fact title: FEEL error in key expression/);
    });

    it('sends the variables as transient data: the proposal arguments hold only the step and the rule', async () => {
      const input = await review(ledger, app1, {
        parcel: p1,
        seller: 'Zhang Wei',
        buyerIdNumber: '110101199003074518',
      });
      const { record } = await ledger.evaluateRule(input, ENGINE);
      const { variables: _sent, ...call } = input;
      const local = embedded();
      if (local) {
        const blocks = readFileSync(join(local.dir, 'blocks.jsonl'), 'utf8').trim().split('\n');
        const tx = blocks.flatMap((line) => JSON.parse(line).txs).find((t) => t.txId === record.txId);
        expect(tx.argsHash).toBe(sha256Hex(canonicalJson([canonicalJson(call)])));
        expect(blocks.join('\n')).not.toContain('110101199003074518');
      } else {
        // The block as the peers keep it: the call is in it, the variables are not.
        const fabric = ledger as OrganisationsLedger;
        const block = Buffer.from((await fabric.fabricBlocks.locate(record.txId)).block, 'base64');
        expect(block.includes(Buffer.from(canonicalJson(call)))).toBe(true);
        expect(block.includes(Buffer.from('110101199003074518'))).toBe(false);
        expect(block.includes(Buffer.from('Zhang Wei'))).toBe(false);
      }
    });

    it('is idempotent: a retry returns the recorded evaluation even if the facts changed since', async () => {
      const input = await review(ledger, app1, { parcel: p1, seller: 'Zhang Wei' });
      const first = await ledger.evaluateRule(input, ENGINE);
      await ledger.putFact('land-title', p1, { status: 'seized' }, LAND_REGISTRY, { owner: 'Zhang Wei' });
      const retry = await ledger.evaluateRule(input, ENGINE);
      expect(retry).toEqual({ ...first, duplicate: true });
      expect(await ledger.trail(app1)).toHaveLength(1);
    });

    it('refuses to register a malformed rule, with a ContractError naming the element and field', async () => {
      const rule = {
        id: 'r',
        facts: [{ name: 'title', registry: 'land-title' }],
        approveWhen: 'true',
      } as unknown as ApprovalRule;
      await expect(review(ledger, app1, {}, rule)).rejects.toThrow(/rules\.review.*rule\.facts\[0\]\.key/);
    });
  });

  describe('facts', () => {
    let parcel: string;
    let clearance: string;
    beforeEach(() => {
      parcel = unique(parcel);
      clearance = unique(clearance);
    });

    it('lets only the owning organisation write a registry, and writes nothing otherwise', async () => {
      await expect(ledger.putFact('land-title', parcel, { status: 'registered' }, ENGINE)).rejects.toThrow(
        'organisation GovflowMSP may not write registry land-title',
      );
      await expect(
        ledger.putFact('tax-clearance', clearance, { clear: true }, { mspId: 'LandRegistryMSP', id: 'x' }),
      ).rejects.toBeInstanceOf(ContractError);
      await expect(ledger.putFact('no-such-registry', 'K', {}, LAND_REGISTRY)).rejects.toThrow(
        /unknown registry/,
      );
      expect(await ledger.getFact('land-title', parcel)).toBeNull();
      if (embedded())
        expect(await embedded()?.verifyAll()).toEqual({ valid: true, records: 0, problems: [] });
      await ledger.putFact('tax-clearance', clearance, { clear: true }, { mspId: 'TaxBureauMSP', id: 'tax' });
      expect(await ledger.getFact('tax-clearance', clearance)).toEqual({ clear: true });
    });

    it('keeps every version of a fact, newest first, with its transaction', async () => {
      const a = await ledger.putFact('land-title', parcel, { status: 'registered', area: 1 }, LAND_REGISTRY);
      const b = await ledger.putFact('land-title', parcel, { status: 'seized', area: 1 }, LAND_REGISTRY);
      const history = await ledger.factHistory('land-title', parcel);
      expect(history.map((h) => [h.txId, h.value, h.isDelete])).toEqual([
        [b.txId, { status: 'seized', area: 1 }, false],
        [a.txId, { status: 'registered', area: 1 }, false],
      ]);
      expect(Date.parse(history[0].timestamp)).toBeGreaterThanOrEqual(Date.parse(history[1].timestamp));
      expect(await ledger.getFact('land-title', parcel)).toEqual({ status: 'seized', area: 1 });
    });
  });

  describe('RegisterDefinition', () => {
    it('is idempotent for the same content and refuses changed content under the same version', async () => {
      const def = {
        key: unique('property-registration'),
        version: 1,
        hash: sha256Hex('v1'),
        deployer: 'dana',
        modelHash: sha256Hex('model v1'),
        rules: { review: TITLE_RULE },
        decisionCalls: {},
      };
      const first = await ledger.registerDefinition(def, ENGINE);
      expect(await ledger.registerDefinition(def, ENGINE)).toEqual(first);
      await expect(
        ledger.registerDefinition({ ...def, hash: sha256Hex('v1 changed') }, ENGINE),
      ).rejects.toThrow(/already registered with hash/);
      await expect(
        ledger.registerDefinition(
          { ...def, rules: { review: { ...TITLE_RULE, approveWhen: 'true' } } },
          ENGINE,
        ),
      ).rejects.toThrow(/already registered with hash .* and other rules/);
      expect(await ledger.definitionRecord(def.key, 1)).toMatchObject({
        modelHash: def.modelHash,
        rules: { review: TITLE_RULE },
      });
      expect(
        (await ledger.registerDefinition({ ...def, version: 2, hash: sha256Hex('v2') }, ENGINE)).txId,
      ).not.toBe(first.txId);
    });
  });
});
