// Business rule tasks calling DMN decisions: deployed through /definitions, registered on the
// ledger, evaluated by the contract (the latest version), the outcome recorded as the step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as b from '../support/bpmn-builder.ts';
import { tokens, useHarness } from '../support/harness.ts';
import { deploy, ended, path, start, waitUntil } from '../support/scenarios.ts';

const h = useHarness();

/** A registration-fee table: UNIQUE over property type and floor area. */
function feeTable(opts: { smallFee: number; overlapping?: boolean }): string {
  const rule = (id: string, type: string, area: string, fee: string) =>
    `<rule id="${id}"><inputEntry id="${id}_type"><text>${type}</text></inputEntry><inputEntry id="${id}_area"><text>${area}</text></inputEntry><outputEntry id="${id}_fee"><text>${fee}</text></outputEntry></rule>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="registration_fees" name="Registration fees" namespace="http://govflow.dev/dmn">
  <decision id="fee" name="Registration fee">
    <decisionTable id="feeTable" hitPolicy="UNIQUE">
      <input id="type" label="Property type"><inputExpression id="typeExpr" typeRef="string"><text>propertyType</text></inputExpression></input>
      <input id="area" label="Floor area"><inputExpression id="areaExpr" typeRef="number"><text>area</text></inputExpression></input>
      <output id="feeOut" name="fee" typeRef="number" />
      ${rule('residentialSmall', '"residential"', '&lt;= 144', String(opts.smallFee))}
      ${rule('residentialLarge', '"residential"', '&gt; 144', '550')}
      ${rule('commercial', '"commercial"', '-', 'area * 5')}
      ${opts.overlapping ? rule('largeCommercial', '"commercial"', '&gt; 1000', '9000') : ''}
    </decisionTable>
  </decision>
</definitions>`;
}

const feeProcess = (key: string) =>
  b.bpmn(
    key,
    b.start('s'),
    b.decisionTask('assessFee', 'fee', 'fee'),
    b.xor('cheap', 'toStandard'),
    b.end('reduced'),
    b.end('standard'),
    b.flow('s', 'assessFee'),
    b.flow('assessFee', 'cheap'),
    b.flow('cheap', 'reduced', '=fee < 100', 'toReduced'),
    b.flow('cheap', 'standard', undefined, 'toStandard'),
  );

async function trail(id: string) {
  const res = await h.request('GET', `/applications/${id}/trail`, { token: await tokens.auditor() });
  return ((await res.json()) as { records: { elementId: string; actor: string; reasons?: string[] }[] })
    .records;
}

describe('DMN decisions', () => {
  it('a business rule task takes the output of the latest deployed decision, recorded by the contract', async () => {
    const dmn = await deploy(h, feeTable({ smallFee: 80 }));
    expect(dmn).toMatchObject({ key: 'registration_fees', version: 1, kind: 'decisions' });
    await deploy(h, feeProcess('fee-latest'));

    const small = await start(h, 'fee-latest', { propertyType: 'residential', area: 90 });
    expect((await ended(h, small)).variables).toMatchObject({ fee: 80 });
    expect(await path(h, small)).toEqual(['s', 'assessFee', 'reduced']);
    const step = (await trail(small)).find((r) => r.elementId === 'assessFee')!;
    expect(step.actor).toBe('decision:fee');
    expect(step.reasons).toEqual(['decision fee of registration_fees v1: rules residentialSmall matched']);

    const shop = await start(h, 'fee-latest', { propertyType: 'commercial', area: 300 });
    expect((await ended(h, shop)).variables).toMatchObject({ fee: 1500 });
    expect(await path(h, shop)).toEqual(['s', 'assessFee', 'standard']);

    // v2 raises the small fee: new evaluations use it, the ledger names the version that decided
    expect(await deploy(h, feeTable({ smallFee: 120 }))).toMatchObject({ version: 2 });
    const later = await start(h, 'fee-latest', { propertyType: 'residential', area: 90 });
    expect((await ended(h, later)).variables).toMatchObject({ fee: 120 });
    expect((await trail(later)).find((r) => r.elementId === 'assessFee')?.reasons).toEqual([
      'decision fee of registration_fees v2: rules residentialSmall matched',
    ]);

    const list = await h.request('GET', '/definitions', { token: await tokens.auditor() });
    expect(await list.json()).toContainEqual(
      expect.objectContaining({ key: 'registration_fees', version: 2 }),
    );
    const graph = await h.request('GET', '/definitions/registration_fees?kind=decisions&version=1', {
      token: await tokens.auditor(),
    });
    expect(((await graph.json()) as { model: { decisions: { id: string }[] } }).model.decisions).toEqual([
      expect.objectContaining({ id: 'fee' }),
    ]);
  });

  it('the MIWG C.9.0 risk check: a COLLECT table, its output mapped and routed as C.9.0 does', async () => {
    await deploy(h, readFileSync(new URL('../fixtures/dmn/risk-check.dmn', import.meta.url), 'utf8'));
    // C.9.0's business rule task, output mappings and gateway conditions, word for word
    await deploy(
      h,
      b.bpmn(
        'onboarding-risk',
        b.start('s'),
        b.decisionTask('checkRisk', 'risk_check', 'result', {
          outputs: {
            riskLevels: '= if result != null then result.riskLevel else ["green"]',
            risks: '= if result != null then result.risk else []',
          },
        }),
        b.xor('risk', 'green'),
        b.end('rejected'),
        b.end('manualCheck'),
        b.end('onboarded'),
        b.flow('s', 'checkRisk'),
        b.flow('checkRisk', 'risk'),
        b.flow('risk', 'rejected', '= some risk in riskLevels satisfies risk = "red"', 'red'),
        b.flow('risk', 'manualCheck', '= every risk in riskLevels satisfies risk = "yellow"', 'yellow'),
        b.flow('risk', 'onboarded', undefined, 'green'),
      ),
    );
    const applicant = { employment: 'employed', category: 'Compact Car', priceIndication: 20000, score: 700 };
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ ...applicant, age: 40 }, 'onboarded', []],
      [{ ...applicant, age: 16 }, 'rejected', ['Applicant is under 18']],
      [{ ...applicant, age: 80 }, 'manualCheck', ['Applicant is older than 75']],
    ];
    for (const [data, end, risks] of cases) {
      const id = await start(h, 'onboarding-risk', data);
      const app = await ended(h, id);
      expect(await path(h, id)).toEqual(['s', 'checkRisk', end]);
      expect(app.variables?.risks).toEqual(risks);
    }
  });

  it('a decision that is not deployed, or that breaks its hit policy, is an incident naming it', async () => {
    await deploy(
      h,
      b.bpmn(
        'fee-missing',
        b.start('s'),
        b.decisionTask('assess', 'stampDuty', 'duty'),
        b.end('e'),
        ...b.chain('s', 'assess', 'e'),
      ),
    );
    const id = await start(h, 'fee-missing', {});
    const app = await waitUntil(h, id, 'an incident', (a) => a.incidents.length > 0);
    expect(app.incidents[0]).toMatchObject({ elementId: 'assess' });
    expect(app.incidents[0].message).toContain('decision "stampDuty" is not deployed');

    // a UNIQUE table where two rules match is refused, naming both rules
    await deploy(
      h,
      feeTable({ smallFee: 80, overlapping: true }).replace(
        'id="registration_fees"',
        'id="overlapping_fees"',
      ),
    );
    await deploy(h, feeProcess('fee-overlap'));
    const overlap = await start(h, 'fee-overlap', { propertyType: 'commercial', area: 2000 });
    const broken = await waitUntil(h, overlap, 'an incident', (a) => a.incidents.length > 0);
    expect(broken.incidents[0].elementId).toBe('assessFee');
    expect(broken.incidents[0].message).toMatch(/commercial.*largeCommercial/);
    expect(await path(h, overlap)).toEqual(['s']); // nothing recorded for the failed evaluation
  });

  it('a bad DMN model is refused with element-level diagnostics and changes nothing', async () => {
    const res = await h.request('POST', '/definitions', {
      token: await tokens.designer(),
      body: feeTable({ smallFee: 80 }).replace('<text>area * 5</text>', '<text>area *</text>'),
      headers: { 'content-type': 'application/xml' },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { title: string; diagnostics: { code: string; elementId?: string }[] };
    expect(body.title).toBe('Invalid DMN model');
    expect(body.diagnostics).toContainEqual(expect.objectContaining({ code: 'dmn-feel-syntax' }));
  });
});
