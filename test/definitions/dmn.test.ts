// The DMN compiler: valid models compile to the decision graph the ledger stores; every problem is
// a diagnostic with its code, the decision it is about and its line; hostile input never throws.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileDecisions, type DecisionCompileResult, isDmnSource } from '../../definitions/dmn/index.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/dmn/${name}`, import.meta.url));

/** 1-based line of the first occurrence of `needle` in a fixture. */
function lineOf(name: string, needle: string): number {
  const text = fixture(name).toString('utf8');
  const at = text.indexOf(needle);
  if (at === -1) throw new Error(`${needle} not in ${name}`);
  return text.slice(0, at).split('\n').length;
}

async function rejected(input: string | Uint8Array): Promise<DecisionCompileResult & { ok: false }> {
  const started = performance.now();
  const result = await compileDecisions(input);
  expect(performance.now() - started).toBeLessThan(2000);
  if (result.ok) throw new Error('expected the model to be rejected');
  return result;
}

async function compiled(input: string | Uint8Array) {
  const result = await compileDecisions(input);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result;
}

/** code, elementId and line of each diagnostic, in order. */
const located = (result: DecisionCompileResult) =>
  result.diagnostics.map(({ code, elementId, line }) => ({ code, elementId, line }));

const DMN13 = 'xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"';
const dmn = (inner: string, ns = DMN13) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<definitions ${ns} id="defs" name="Test" namespace="http://camunda.org/schema/1.0/dmn">\n${inner}\n</definitions>`;
const literal = (id: string, text: string) =>
  `  <decision id="${id}" name="${id}">\n    <literalExpression id="${id}_expr">\n      <text>${text}</text>\n    </literalExpression>\n  </decision>`;

describe('valid models', () => {
  it('risk-check.dmn: a COLLECT table with two outputs', async () => {
    const source = fixture('risk-check.dmn');
    const result = await compiled(source);
    expect(result.hash).toBe(createHash('sha256').update(source).digest('hex'));
    expect(result.diagnostics).toEqual([]);
    expect(result.graph.id).toBe('Definitions_RiskCheck');
    expect(result.graph.name).toBe('Customer onboarding risk');
    expect(result.graph.decisions).toHaveLength(1);
    const [decision] = result.graph.decisions;
    expect(decision).toMatchObject({ id: 'risk_check', name: 'Risk check', requires: [] });
    expect(decision.literal).toBeUndefined();
    const table = decision.table!;
    expect(table.hitPolicy).toBe('COLLECT');
    expect(table.aggregation).toBeUndefined();
    expect(table.inputs.map((i) => i.expression)).toEqual([
      'age',
      'employment',
      'category',
      'priceIndication',
      'score',
    ]);
    expect(table.inputs[3]).toEqual({
      id: 'Input_PriceIndication',
      label: 'Price indication',
      expression: 'priceIndication',
    });
    expect(table.outputs).toEqual([
      {
        id: 'Output_RiskLevel',
        label: 'Risk level',
        name: 'riskLevel',
        outputValues: ['"red"', '"yellow"', '"green"'],
      },
      { id: 'Output_Risk', label: 'Risk', name: 'risk' },
    ]);
    expect(table.rules.map((r) => r.id)).toEqual([
      'Rule_Minor',
      'Rule_Senior',
      'Rule_Unemployed',
      'Rule_ExpensivePremium',
      'Rule_BadScore',
      'Rule_LowScore',
    ]);
    expect(table.rules[3]).toEqual({
      id: 'Rule_ExpensivePremium',
      inputEntries: ['', 'not("employed","self-employed")', '"Premium Car","Sports Car"', '>= 50000', ''],
      outputEntries: ['"yellow"', '"Expensive " + category + " without regular employment"'],
    });
  });

  it('loan-approval.dmn: two decisions, one requiring the other', async () => {
    const result = await compiled(fixture('loan-approval.dmn'));
    expect(result.graph).toEqual({
      id: 'Definitions_LoanApproval',
      name: 'Loan approval',
      decisions: [
        {
          id: 'loan_decision',
          name: 'Loan decision',
          requires: ['credit_rating'],
          table: {
            hitPolicy: 'FIRST',
            inputs: [
              { id: 'Input_Rating', label: 'Credit rating', expression: 'credit_rating' },
              { id: 'Input_Amount', label: 'Amount', expression: 'amount' },
            ],
            outputs: [
              { id: 'Output_Approved', label: 'Approved', name: 'approved' },
              { id: 'Output_Reason', label: 'Reason', name: 'reason' },
            ],
            rules: [
              {
                id: 'Rule_RatingC',
                inputEntries: ['"C"', '-'],
                outputEntries: ['false', '"credit rating C"'],
              },
              {
                id: 'Rule_Large',
                inputEntries: ['"B"', '> 10000'],
                outputEntries: ['false', '"amount too high for rating B"'],
              },
              { id: 'Rule_Otherwise', inputEntries: ['-', '-'], outputEntries: ['true', ''] },
            ],
          },
        },
        {
          id: 'credit_rating',
          name: 'Credit rating',
          requires: [],
          table: {
            hitPolicy: 'UNIQUE',
            inputs: [{ id: 'Input_Score', label: 'Score', expression: 'score' }],
            outputs: [{ id: 'Output_Rating', label: 'Rating', name: 'rating' }],
            rules: [
              { id: 'Rule_A', inputEntries: ['>= 700'], outputEntries: ['"A"'] },
              { id: 'Rule_B', inputEntries: ['[500..700)'], outputEntries: ['"B"'] },
              { id: 'Rule_C', inputEntries: ['< 500'], outputEntries: ['"C"'] },
            ],
          },
        },
      ],
    });
  });

  it('insurance-premium.dmn: a literal expression decision', async () => {
    const result = await compiled(fixture('insurance-premium.dmn'));
    expect(result.graph).toEqual({
      id: 'Definitions_Premium',
      name: 'Insurance premium',
      decisions: [
        {
          id: 'monthly_premium',
          name: 'Monthly premium',
          requires: [],
          literal: {
            expression: 'decimal(priceIndication * 0.004 + (if age < 25 then 15 else 0), 2)',
            variable: 'monthly_premium',
          },
        },
      ],
    });
  });

  it('a DMN 1.1 model (Camunda 7) is read as DMN 1.3; its camunda: attributes are ignored', async () => {
    const result = await compiled(fixture('dmn11-camunda7.dmn'));
    expect(result.graph.decisions[0].table).toMatchObject({
      hitPolicy: 'UNIQUE',
      inputs: [{ id: 'Input_Season', label: 'Season', expression: 'season' }],
      rules: [
        { id: 'Rule_Winter', inputEntries: ['"Winter"'], outputEntries: ['"Roastbeef"'] },
        { id: 'Rule_Summer', inputEntries: ['"Summer"'], outputEntries: ['"Light salad"'] },
      ],
    });
  });

  it.each([
    'http://www.omg.org/spec/DMN/20180521/MODEL/',
    'https://www.omg.org/spec/DMN/20211108/MODEL/',
    'https://www.omg.org/spec/DMN/20230324/MODEL/',
  ])('a model in namespace %s compiles', async (namespace) => {
    const result = await compiled(dmn(literal('answer', '42'), `xmlns="${namespace}"`));
    expect(result.graph.decisions).toEqual([
      { id: 'answer', name: 'answer', requires: [], literal: { expression: '42' } },
    ]);
  });

  it('positions stay exact when a namespace declaration is rewritten to another length', async () => {
    // DMN 1.2 URIs are a character shorter or longer than DMN 1.3's; the error is on the same line
    const root =
      '<definitions xmlns="http://www.omg.org/spec/DMN/20180521/MODEL/" xmlns:dmndi="http://www.omg.org/spec/DMN/20180521/DMNDI/" id="d">';
    const text = `${root}<decision id="x"><wat id="w"/></decision></definitions>`;
    const result = await rejected(text);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'dmn-unknown-element', line: 1, column: text.indexOf('<wat') + 1 }),
    );
  });

  it('a diagram shape for a missing element is only a warning', async () => {
    const ns = `${DMN13} xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/"`;
    const diagram = `${literal('x', '1')}
  <dmndi:DMNDI><dmndi:DMNDiagram id="dia"><dmndi:DMNShape id="shape" dmnElementRef="gone" /></dmndi:DMNDiagram></dmndi:DMNDI>`;
    const result = await compileDecisions(dmn(diagram, ns));
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'dmn-unresolved-reference',
        severity: 'warning',
        elementId: 'shape',
        line: 8,
      }),
    ]);
  });

  it('a PRIORITY table without output values compiles with a warning', async () => {
    const table = `  <decision id="p" name="P">
    <decisionTable id="t" hitPolicy="PRIORITY">
      <input id="i"><inputExpression id="ie"><text>x</text></inputExpression></input>
      <output id="o" name="y" />
    </decisionTable>
  </decision>`;
    const result = await compileDecisions(dmn(table));
    expect(result.ok).toBe(true);
    expect(located(result)).toEqual([{ code: 'dmn-output-values-missing', elementId: 'p', line: 4 }]);
    expect(result.diagnostics[0].severity).toBe('warning');
  });
});

describe('invalid models', () => {
  it('FEEL syntax errors in input expressions, output values, input and output entries, literals', async () => {
    const file = 'invalid-feel.dmn';
    const result = await rejected(fixture(file));
    expect(located(result)).toEqual([
      { code: 'dmn-feel-syntax', elementId: 'fee', line: lineOf(file, 'id="InputExpression_Age"') },
      { code: 'dmn-feel-syntax', elementId: 'fee', line: lineOf(file, 'id="UnaryTests_FeeValues"') },
      { code: 'dmn-feel-syntax', elementId: 'fee', line: lineOf(file, 'id="UnaryTests_Adult_Age"') },
      { code: 'dmn-feel-syntax', elementId: 'fee', line: lineOf(file, 'id="LiteralExpression_Minor_Fee"') },
      {
        code: 'dmn-feel-syntax',
        elementId: 'greeting',
        line: lineOf(file, 'id="LiteralExpression_Greeting"'),
      },
    ]);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'Decision "fee" ("Fee"), input 1 ("Age"), input expression: the expression ends unexpectedly in "applicant.age +"',
      'Decision "fee" ("Fee"), output 1 ("Fee"), output values: the expression ends unexpectedly in "50 *"',
      'Decision "fee" ("Fee"), rule 1 ("Rule_Adult"), input entry 1 ("Age"): the entry ends unexpectedly in ">= 18 >"',
      'Decision "fee" ("Fee"), rule 2 ("Rule_Minor"), output entry 1 ("fee"): the expression ends unexpectedly in "if kind = "new" then 50 else"',
      'Decision "greeting" ("Greeting"), its literal expression: syntax error at character 28, near """ in ""Dear " + applicant.name + ""',
    ]);
    expect(result.diagnostics[0]).toMatchObject({ elementName: 'Fee', column: 9, severity: 'error' });
  });

  it('entries that do not match the columns, unnamed outputs, bad hit policy and aggregation, no logic', async () => {
    const file = 'invalid-table.dmn';
    const result = await rejected(fixture(file));
    expect(located(result)).toEqual([
      {
        code: 'dmn-rule-entries-mismatch',
        elementId: 'mismatch',
        line: lineOf(file, 'id="Rule_Mismatch_Short"'),
      },
      {
        code: 'dmn-output-name-missing',
        elementId: 'unnamed_outputs',
        line: lineOf(file, 'id="Output_Unnamed_Note"'),
      },
      {
        code: 'dmn-hit-policy-invalid',
        elementId: 'bad_hit_policy',
        line: lineOf(file, 'hitPolicy="SOMETIMES"'),
      },
      {
        code: 'dmn-aggregation-invalid',
        elementId: 'bad_aggregation',
        line: lineOf(file, 'aggregation="SUM"'),
      },
      { code: 'dmn-decision-logic-missing', elementId: 'no_logic', line: lineOf(file, 'id="no_logic"') },
    ]);
    const text = fixture(file).toString('utf8');
    const hitPolicyLine = text.split('\n')[lineOf(file, 'hitPolicy="SOMETIMES"') - 1];
    expect(result.diagnostics[2].column).toBe(hitPolicyLine.indexOf('hitPolicy=')); // the space before it
    expect(result.diagnostics[0].message).toBe(
      'Decision "mismatch" ("Entries do not match columns"), rule 2 ("Rule_Mismatch_Short") has 1 input and 1 output entries; the table has 2 inputs and 1 outputs',
    );
    expect(result.diagnostics[3].message).toContain('aggregations need COLLECT');
  });

  it('business knowledge models, decision services and boxed contexts are not supported', async () => {
    const file = 'unsupported.dmn';
    const result = await rejected(fixture(file));
    expect(located(result)).toEqual([
      { code: 'dmn-unsupported-element', elementId: 'discount', line: lineOf(file, 'id="Context_Discount"') },
      {
        code: 'dmn-unsupported-element',
        elementId: 'discount_rules',
        line: lineOf(file, 'id="discount_rules"'),
      },
      {
        code: 'dmn-unsupported-element',
        elementId: 'pricing_service',
        line: lineOf(file, 'id="pricing_service"'),
      },
    ]);
    expect(result.diagnostics[0].message).toContain('is a boxed context');
  });

  it('a requirement cycle and a required decision that does not exist', async () => {
    const file = 'invalid-requirements.dmn';
    const result = await rejected(fixture(file));
    expect(located(result)).toEqual([
      { code: 'dmn-requirement-cycle', elementId: 'eligibility', line: lineOf(file, 'id="eligibility"') },
      {
        code: 'dmn-required-decision-missing',
        elementId: 'summary',
        line: lineOf(file, 'id="InformationRequirement_Summary_Missing"'),
      },
    ]);
    expect(result.diagnostics[0].message).toBe(
      'Decisions require each other in a cycle: "eligibility" -> "income_check" -> "eligibility"',
    );
    expect(result.diagnostics[1].message).toContain('"household_size", which does not exist');
  });

  it('two decisions with one id', async () => {
    const result = await rejected(fixture('duplicate-id.dmn'));
    expect(located(result)).toEqual([
      {
        code: 'dmn-duplicate-id',
        elementId: 'tax_rate',
        line: lineOf('duplicate-id.dmn', 'name="Reduced tax rate"'),
      },
    ]);
  });

  it('a model without decisions', async () => {
    const result = await rejected(fixture('no-decision.dmn'));
    expect(located(result)).toEqual([{ code: 'dmn-no-decision', elementId: 'Definitions_Empty', line: 2 }]);
  });

  it('outputs: duplicate names, an aggregation over several, a default output entry', async () => {
    const table = `  <decision id="d" name="D">
    <decisionTable id="t" hitPolicy="COLLECT" aggregation="MAX">
      <input id="i"><inputExpression id="ie"><text>x</text></inputExpression></input>
      <output id="o1" name="y" />
      <output id="o2" name="y" />
      <output id="o3" name="z">
        <defaultOutputEntry id="default"><text>0</text></defaultOutputEntry>
      </output>
    </decisionTable>
  </decision>`;
    const result = await rejected(dmn(table));
    expect(located(result)).toEqual([
      { code: 'dmn-aggregation-invalid', elementId: 'd', line: 4 },
      { code: 'dmn-output-name-duplicate', elementId: 'd', line: 7 },
      { code: 'dmn-unsupported-element', elementId: 'd', line: 9 },
    ]);
    expect(result.diagnostics[0].message).toContain('the aggregation MAX over 3 outputs');
  });

  it('an expression language other than FEEL', async () => {
    const decision = `  <decision id="j" name="J">
    <literalExpression id="je" expressionLanguage="juel">
      <text>\${x > 1}</text>
    </literalExpression>
  </decision>`;
    const result = await rejected(dmn(decision));
    expect(located(result)).toEqual([{ code: 'dmn-feel-syntax', elementId: 'j', line: 4 }]);
    expect(result.diagnostics[0].message).toContain('the expression language juel is not supported');
    const model = dmn(literal('k', '1')).replace('id="defs"', 'id="defs" expressionLanguage="javascript"');
    expect(located(await rejected(model))).toEqual([
      { code: 'dmn-expression-language-unsupported', elementId: 'defs', line: 2 },
    ]);
  });

  it('unknown elements and attributes, imported required decisions, a missing definitions id', async () => {
    const unknown = await rejected(
      dmn(
        `  <decision id="u" name="U" color="red">\n    <wat />\n    <literalExpression id="ue"><text>1</text></literalExpression>\n  </decision>`,
      ),
    );
    expect(
      located(unknown)
        .map((d) => d.code)
        .sort(),
    ).toEqual(['dmn-unknown-attribute', 'dmn-unknown-element']);
    const imported = `  <decision id="a" name="A">
    <informationRequirement id="ir">
      <requiredDecision href="other.dmn#b" />
    </informationRequirement>
    <literalExpression id="ae"><text>b</text></literalExpression>
  </decision>`;
    expect(located(await rejected(dmn(imported)))).toEqual([
      { code: 'dmn-required-decision-missing', elementId: 'a', line: 4 },
    ]);
    const anonymous = await rejected(dmn(literal('x', '1')).replace(' id="defs"', ''));
    expect(anonymous.diagnostics.map((d) => d.code)).toEqual(['dmn-definitions-id-missing']);
  });

  it('a decision without an id, a table without outputs', async () => {
    const decisions = `  <decision name="Anonymous">
    <literalExpression id="le"><text>1</text></literalExpression>
  </decision>
  <decision id="empty_table" name="Empty table">
    <decisionTable id="et" />
  </decision>`;
    const result = await rejected(dmn(decisions));
    expect(located(result)).toEqual([
      { code: 'dmn-decision-id-missing', elementId: undefined, line: 3 },
      { code: 'dmn-output-missing', elementId: 'empty_table', line: 7 },
    ]);
    expect(result.diagnostics[0]).toMatchObject({ elementName: 'Anonymous' });
  });

  it('elements without ids are located by their position in their parent', async () => {
    const table = `  <decision id="d" name="D">
    <decisionTable>
      <input><inputExpression><text>x</text></inputExpression></input>
      <output name="y" />
      <rule>
        <inputEntry><text>&gt; 1</text></inputEntry>
        <outputEntry><text>1</text></outputEntry>
      </rule>
      <rule>
        <inputEntry><text>&gt;&gt;</text></inputEntry>
        <outputEntry><text>2</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>`;
    const result = await rejected(dmn(table));
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'dmn-feel-syntax', elementId: 'd', line: 12, column: 9 }),
    ]);
  });
});

describe('telling DMN from BPMN', () => {
  it.each([
    ['DMN 1.3', dmn(literal('x', '1'))],
    ['DMN 1.1', dmn(literal('x', '1'), 'xmlns="http://www.omg.org/spec/DMN/20151101/dmn.xsd"')],
    ['DMN 1.5', dmn(literal('x', '1'), 'xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/"')],
    [
      'a prefixed root after a comment',
      '\uFEFF<?xml version="1.0"?>\n<!-- made by hand -->\n<dmn:definitions xmlns:dmn="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d"/>',
    ],
  ])('%s is DMN', (_, text) => {
    expect(isDmnSource(text)).toBe(true);
  });

  it.each([
    [
      'a BPMN model',
      readFileSync(new URL('../../definitions/property-registration.bpmn', import.meta.url), 'utf8'),
    ],
    ['definitions without a namespace', '<definitions id="d"/>'],
    [
      'a DMN namespace bound to another prefix',
      '<x:definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"/>',
    ],
    ['not XML', '{"definitions": []}'],
    ['nothing', ''],
  ])('%s is not DMN', (_, text) => {
    expect(isDmnSource(text)).toBe(false);
  });

  it('compiling a BPMN model as DMN says what it is', async () => {
    const bpmn = readFileSync(new URL('../../definitions/property-registration.bpmn', import.meta.url));
    const result = await rejected(bpmn);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'dmn-not-dmn', line: 2, column: 1 }),
    ]);
    expect(result.diagnostics[0].message).toContain('http://www.omg.org/spec/BPMN/20100524/MODEL');
  });
});

describe('hostile input', () => {
  const codes = (result: DecisionCompileResult) => result.diagnostics.map((d) => d.code);

  it('a DOCTYPE with entities', async () => {
    const text = `<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY e "${'x'.repeat(100)}">]>\n${dmn(literal('x', '&e;')).replace(/^<\?xml[^>]*>\n/, '')}`;
    const result = await rejected(text);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'doctype-forbidden', line: 2 })]);
  });

  it('bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from(dmn(literal('x', '"'))),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"'),
    ]);
    expect(codes(await rejected(bytes))).toEqual(['invalid-encoding']);
  });

  it('6 MB, as text and as bytes', async () => {
    const big = dmn(`<!--${'x'.repeat(6 * 1024 * 1024)}-->`);
    expect(codes(await rejected(big))).toEqual(['model-too-large']);
    expect(codes(await rejected(Buffer.from(big)))).toEqual(['model-too-large']);
  });

  it('10,000 levels of nesting', async () => {
    const result = await rejected(dmn(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'too-deeply-nested', line: 3 })]);
  });

  it('malformed XML, empty input, text', async () => {
    const malformed = await rejected(dmn('  <decision id="x">\n  <literalExpression>'));
    expect(codes(malformed)).toEqual(['xml-invalid']);
    expect(codes(await rejected(''))).toEqual(['model-empty']);
    expect(codes(await rejected('{"definitions": []}'))).toEqual(['xml-invalid']);
  });

  it('thousands of unknown elements: the first one only, quickly', async () => {
    const result = await rejected(dmn(`  <decision id="x">\n${'<wat/>\n'.repeat(20_000)}</decision>`));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'dmn-unknown-element', line: 4 })]);
    expect(result.diagnostics[0].message).toContain('only the first such problem is listed');
  });

  it('thousands of broken rules: diagnostics are capped', async () => {
    const rules =
      '<rule><inputEntry><text>&gt;&gt;</text></inputEntry><outputEntry><text>1</text></outputEntry></rule>\n';
    const table = `  <decision id="d"><decisionTable><input><inputExpression><text>x</text></inputExpression></input><output name="y"/>\n${rules.repeat(2000)}</decisionTable></decision>`;
    const result = await rejected(dmn(table));
    expect(result.diagnostics).toHaveLength(501);
    expect(result.diagnostics.at(-1)).toMatchObject({ code: 'diagnostics-truncated', severity: 'warning' });
  });

  it('never throws, even on a wrong argument type', async () => {
    const result = await compileDecisions(undefined as unknown as string);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });
});
