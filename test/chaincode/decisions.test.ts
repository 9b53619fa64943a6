// RegisterDecisions and EvaluateDecision, through the embedded ledger: the latest version of a
// decision decides, the step names it, and a retried call returns the first outcome.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DecisionGraph } from '../../chaincode/src/decision.ts';
import { compileDecisions } from '../../definitions/dmn/index.ts';
import type { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { ContractError } from '../../ledger/errors.ts';
import { ENGINE, openTemp, registerProcess } from '../ledger/helpers.ts';

let ledger: EmbeddedLedger;
let risk: { graph: DecisionGraph; hash: string };
beforeAll(async () => {
  const compiled = await compileDecisions(
    readFileSync(new URL('../fixtures/dmn/risk-check.dmn', import.meta.url)),
  );
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  risk = compiled;
});
/** The process whose business rule task `check` may call risk_check. */
let process: { definitionKey: string; definitionVersion: number };
beforeEach(async () => {
  ({ ledger } = await openTemp());
  process = await registerProcess(ledger, 'car-loan', { decisionCalls: { check: 'risk_check' } });
});
afterEach(() => ledger.close());

const register = (graph: DecisionGraph, version: number, hash: string) =>
  ledger.registerDecisions({ key: graph.id, version, hash, deployer: 'designer-1', graph }, ENGINE);

const call = (applicationId: string, variables: Record<string, unknown>, elementInstanceId = 'check#1') =>
  ledger.evaluateDecision(
    { applicationId, elementId: 'check', elementInstanceId, ...process, decisionId: 'risk_check', variables },
    ENGINE,
  );

const applicant = { employment: 'employed', category: 'Compact Car', priceIndication: 20000, score: 700 };

describe('decisions on the ledger', () => {
  it('evaluates the registered decision and records which model, version and rules decided', async () => {
    await register(risk.graph, 1, risk.hash);
    const minor = await call('app-1', { ...applicant, age: 16 });
    expect(minor.duplicate).toBe(false);
    expect(minor.outcome).toMatchObject({
      decisionId: 'risk_check',
      key: risk.graph.id,
      version: 1,
      hash: risk.hash,
      output: [{ riskLevel: 'red', risk: 'Applicant is under 18' }],
      matchedRules: ['Rule_Minor'],
    });
    expect(minor.record).toMatchObject({
      seq: 1,
      actor: 'decision:risk_check',
      decision: 'decided',
      reasons: [`decision risk_check of ${risk.graph.id} v1: rules Rule_Minor matched`],
    });
    // no rule matches: null, as Camunda 8 gives
    expect((await call('app-2', { ...applicant, age: 40 })).outcome.output).toBeNull();
  });

  it('a retry returns the first outcome even after a newer version was registered', async () => {
    await register(risk.graph, 1, risk.hash);
    const first = await call('app-1', { ...applicant, age: 16 });
    const stricter: DecisionGraph = JSON.parse(JSON.stringify(risk.graph).replace('"< 18"', '"< 21"'));
    await register(stricter, 2, 'b'.repeat(64));
    const retry = await call('app-1', { ...applicant, age: 16 });
    expect(retry).toEqual({ ...first, duplicate: true });
    // other variables for the recorded step are another call, never a second outcome
    await expect(call('app-1', { ...applicant, age: 19 })).rejects.toMatchObject({ code: 'STEP_CONFLICT' });
    const fresh = await call('app-3', { ...applicant, age: 19 });
    expect(fresh.outcome).toMatchObject({ version: 2, matchedRules: ['Rule_Minor'] });
    expect(await ledger.trail('app-1')).toHaveLength(1);
  });

  it('refuses a decision that is not deployed and a graph whose key is not its id, recording nothing', async () => {
    await expect(call('app-1', applicant)).rejects.toThrow(/decision "risk_check" is not deployed/);
    await expect(call('app-1', applicant)).rejects.toBeInstanceOf(ContractError);
    await expect(
      ledger.registerDecisions(
        { key: 'other', version: 1, hash: risk.hash, deployer: 'designer-1', graph: risk.graph },
        ENGINE,
      ),
    ).rejects.toThrow(/must be the decision model's id/);
    expect(await ledger.trail('app-1')).toEqual([]);
  });

  it('the same version cannot be registered again with other content', async () => {
    await register(risk.graph, 1, risk.hash);
    await expect(register(risk.graph, 1, risk.hash)).resolves.toBeDefined(); // same content: a no-op
    await expect(register(risk.graph, 1, 'c'.repeat(64))).rejects.toThrow(/already registered/);
  });
});
