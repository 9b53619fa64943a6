// Attacks on the contract's authority, through the embedded ledger's submit as each organisation
// would send them: a department recording engine steps or registering definitions, a caller
// bringing its own rule or decision, a repeated step with other input, a user posing as the
// contract. Each is refused with its code and nothing is written.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import type { ApprovalRule } from '../../definitions/model.ts';
import type { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { ContractError } from '../../ledger/errors.ts';
import type { LedgerIdentity, StepInput } from '../../ledger/types.ts';
import { ENGINE, LAND_REGISTRY, openTemp, registerProcess, step } from '../ledger/helpers.ts';

const DEPARTMENT: LedgerIdentity = { mspId: 'LandRegistryMSP', id: 'x' };

const TITLE_RULE: ApprovalRule = {
  id: 'title-clear',
  facts: [{ name: 'title', registry: 'land-title', key: 'parcel' }],
  approveWhen: 'title.status = "registered" and title.area > 100',
};

let ledger: EmbeddedLedger;
let definition: { definitionKey: string; definitionVersion: number };
beforeEach(async () => {
  ({ ledger } = await openTemp());
  definition = await registerProcess(ledger, 'property-registration', {
    rules: { review: TITLE_RULE },
    decisionCalls: { fee: 'fee_table' },
  });
  // A small parcel: the registered rule does not approve it.
  await ledger.putFact('land-title', 'P-1', { status: 'registered', area: 40 }, LAND_REGISTRY);
});
afterEach(() => ledger.close());

/** A contract call as its raw transaction, the way any client of the channel can send it. */
const submit = (fn: string, arg: unknown, as: LedgerIdentity, transient?: Record<string, string>) =>
  ledger.submit(fn, [canonicalJson(arg)], as, transient).then((text) => JSON.parse(text));

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the contract accepted it');
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(ContractError);
      return err as ContractError;
    },
  );

const review = (overrides: Record<string, unknown> = {}) => ({
  applicationId: 'app-1',
  elementId: 'review',
  elementInstanceId: 'review#1',
  ...definition,
  variables: { parcel: 'P-1' },
  ...overrides,
});

describe('who may call the contract', () => {
  it('refuses RecordStep from a department: FORBIDDEN naming the function and organisation', async () => {
    const err = await refusal(submit('RecordStep', step('app-1', 1), DEPARTMENT));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toBe(
      'RecordStep: organisation LandRegistryMSP may not record engine steps (only GovflowMSP)',
    );
    expect(await ledger.trail('app-1')).toEqual([]);
    // the engine may
    expect((await submit('RecordStep', step('app-1', 1), ENGINE)).duplicate).toBe(false);
  });

  it('refuses definition and decision registration and rule and decision evaluation from a department', async () => {
    const registration = {
      key: 'forged',
      version: 1,
      hash: sha256Hex('forged'),
      deployer: 'mallory',
      modelHash: sha256Hex('forged model'),
      rules: { review: { ...TITLE_RULE, approveWhen: 'true' } },
    };
    const graph = { id: 'fee_table', decisions: [] };
    const attempts: [string, unknown, RegExp][] = [
      ['RegisterDefinition', registration, /^RegisterDefinition: organisation LandRegistryMSP may not/],
      [
        'RegisterDecisions',
        { key: 'fee_table', version: 1, hash: sha256Hex('dmn'), deployer: 'mallory', graph },
        /^RegisterDecisions: organisation LandRegistryMSP may not/,
      ],
      ['EvaluateRule', review(), /^EvaluateRule: organisation LandRegistryMSP may not/],
      [
        'EvaluateDecision',
        { ...review({ elementId: 'fee', elementInstanceId: 'fee#1' }), decisionId: 'fee_table' },
        /^EvaluateDecision: organisation LandRegistryMSP may not/,
      ],
    ];
    for (const [fn, arg, message] of attempts) {
      const err = await refusal(submit(fn, arg, DEPARTMENT));
      expect([fn, err.code]).toEqual([fn, 'FORBIDDEN']);
      expect(err.message).toMatch(message);
      expect(err.message).toContain('(only GovflowMSP)');
    }
    expect(await ledger.definitionRecord('forged', 1)).toBeNull();
    expect(await ledger.trail('app-1')).toEqual([]);
  });
});

describe('the rule comes from the registered definition', () => {
  it('refuses a caller-supplied rule, and the registered rule does not approve the step', async () => {
    const forged = { id: 'title-clear', facts: [], approveWhen: 'true' };
    const err = await refusal(submit('EvaluateRule', review({ rule: forged }), ENGINE));
    expect(err.message).toMatch(
      /field "rule" is not accepted: the rule comes from the registered definition/,
    );
    expect(await ledger.trail('app-1')).toEqual([]);

    const decided = await ledger.evaluateRule(review(), ENGINE);
    expect(decided.evaluation.decision).toBe('manual');
    expect(decided.evaluation.reasons).toEqual(['not met: title.area > 100']);
    expect(decided.record).toMatchObject({
      actor: 'contract:title-clear',
      definitionKey: 'property-registration',
      definitionVersion: 1,
      definitionHash: sha256Hex('xml of property-registration'),
    });
  });

  it('refuses a definition that is not registered, another hash, and an element without a rule', async () => {
    const unknown = await refusal(ledger.evaluateRule(review({ definitionVersion: 2 }), ENGINE));
    expect(unknown.code).toBe('DEFINITION_NOT_REGISTERED');
    expect(unknown.message).toMatch(/property-registration v2 is not registered on the ledger/);

    const otherHash = await refusal(ledger.evaluateRule(review({ definitionHash: 'a'.repeat(64) }), ENGINE));
    expect(otherHash.code).toBe('DEFINITION_NOT_REGISTERED');
    expect(otherHash.message).toMatch(/registered with hash [0-9a-f]{64}, not a{64}/);

    const noRule = await refusal(
      ledger.evaluateRule(review({ elementId: 'transfer', elementInstanceId: 'transfer#1' }), ENGINE),
    );
    expect(noRule.code).toBe('RULE_NOT_REGISTERED');
    expect(noRule.message).toMatch(/registers no approval rule for element transfer/);

    const unnamed = await refusal(ledger.evaluateRule(review({ definitionKey: undefined }), ENGINE));
    expect(unnamed.message).toMatch(/"definitionKey" and "definitionVersion" are required/);
    expect(await ledger.trail('app-1')).toEqual([]);
  });

  it('refuses a decision the registered definition does not let the element call', async () => {
    const call = (decisionId: string, elementId = 'fee') =>
      ledger.evaluateDecision(
        { ...review({ elementId, elementInstanceId: `${elementId}#1` }), decisionId },
        ENGINE,
      );
    const other = await refusal(call('credit_limit'));
    expect(other.code).toBe('DECISION_NOT_ALLOWED');
    expect(other.message).toMatch(/lets element fee call decision "fee_table", not "credit_limit"/);
    const elsewhere = await refusal(call('fee_table', 'review'));
    expect(elsewhere.code).toBe('DECISION_NOT_ALLOWED');
    expect(elsewhere.message).toMatch(/lets element review call no decision/);
    expect(await ledger.trail('app-1')).toEqual([]);
  });
});

describe('a recorded step never changes', () => {
  it('returns the first record for the same input and refuses any other input with STEP_CONFLICT', async () => {
    const input: StepInput = { ...step('app-1', 1), ...definition, reasons: ['checked'] };
    const first = await ledger.recordStep(input, ENGINE);
    expect(await ledger.recordStep({ ...input }, ENGINE)).toEqual({ record: first.record, duplicate: true });

    const changes: Partial<StepInput>[] = [
      { actor: 'user:wang.clerk' },
      { decision: 'reject' },
      { dataHash: sha256Hex('other data') },
      { reasons: ['forged'] },
      { reasons: undefined },
      { elementId: 'task-9' },
      { definitionVersion: 2 },
      { definitionKey: 'other' },
      { definitionHash: 'b'.repeat(64) },
    ];
    for (const change of changes) {
      const err = await refusal(ledger.recordStep({ ...input, ...change }, ENGINE));
      expect([change, err.code]).toEqual([change, 'STEP_CONFLICT']);
      expect(err.message).toMatch(/^RecordStep: step app-1\/task-1#1 is already recorded with a different/);
    }
    const [field] = Object.keys(changes[0]);
    await expect(ledger.recordStep({ ...input, ...changes[0] }, ENGINE)).rejects.toThrow(
      `with a different ${field}`,
    );
    expect((await ledger.trail('app-1')).map((e) => e.record)).toEqual([first.record]);
  });

  it('a rule step: the same call returns the first record, other variables or a RecordStep conflict', async () => {
    const first = await ledger.evaluateRule(review(), ENGINE);
    expect(await ledger.evaluateRule(review(), ENGINE)).toEqual({ ...first, duplicate: true });

    const otherVariables = await refusal(
      ledger.evaluateRule(review({ variables: { parcel: 'P-2' } }), ENGINE),
    );
    expect(otherVariables.code).toBe('STEP_CONFLICT');
    expect(otherVariables.message).toMatch(/^EvaluateRule: step app-1\/review#1 is already recorded/);

    const overwrite = await refusal(
      ledger.recordStep(
        { ...step('app-1', 1), elementId: 'review', elementInstanceId: 'review#1', decision: 'approve' },
        ENGINE,
      ),
    );
    expect(overwrite.code).toBe('STEP_CONFLICT');
    expect(overwrite.message).toMatch(/review#1 is already recorded by a rule or decision of the contract/);

    await ledger.recordStep(step('app-1', 2), ENGINE);
    const ruleOverStep = await refusal(
      ledger.evaluateRule(review({ elementInstanceId: 'task-2#2' }), ENGINE),
    );
    expect(ruleOverStep.code).toBe('STEP_CONFLICT');
    expect(ruleOverStep.message).toMatch(/task-2#2 is already recorded by RecordStep \(user:lin\.clerk\)/);
    expect(await ledger.trail('app-1')).toHaveLength(2);
  });
});

describe('typed actors', () => {
  it('refuses a RecordStep posing as the contract or a decision: FORBIDDEN naming the field', async () => {
    for (const actor of ['contract:title-clear', 'decision:fee_table']) {
      const err = await refusal(ledger.recordStep(step('app-1', 1, { actor }), ENGINE));
      expect(err.code).toBe('FORBIDDEN');
      expect(err.message).toBe(
        `RecordStep: field "actor" "${actor}" is the contract's own; only EvaluateRule and EvaluateDecision record such steps`,
      );
    }
    expect(await ledger.trail('app-1')).toEqual([]);
  });

  it('accepts only the typed forms, naming the field otherwise', async () => {
    for (const actor of ['lin.clerk', 'user:', 'user:a:b', 'robot:x', 'message:', 'Engine', ' timer']) {
      const err = await refusal(ledger.recordStep(step('app-1', 1, { actor }), ENGINE));
      expect(err.message).toMatch(/^RecordStep: field "actor" .* must be one of user:<sub>, engine, timer/);
    }
    const accepted = ['user:lin.clerk', 'engine', 'timer', 'message:payment-confirmed', 'signal:storm'];
    for (const [n, actor] of accepted.entries()) {
      const { record } = await ledger.recordStep(step('app-1', n + 1, { actor }), ENGINE);
      expect(record.actor).toBe(actor);
    }
  });
});
