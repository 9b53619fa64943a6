// The DMN decision evaluator: hit policies, aggregations, required decisions, literal decisions,
// errors, and FEEL's clock pinned to the transaction time.
import { existsSync, readFileSync } from 'node:fs';
import { evaluate } from '@bpmn-io/feelin';
import { describe, expect, it } from 'vitest';
import { atTransactionTime } from '../../chaincode/src/approval-rule.ts';
import type {
  Aggregation,
  Decision,
  DecisionGraph,
  DecisionOutput,
  HitPolicy,
} from '../../chaincode/src/decision.ts';
import { validateDecisionGraph } from '../../chaincode/src/decision.ts';
import { DecisionError, evaluateDecision } from '../../chaincode/src/decision-table.ts';
import { compileDecisions } from '../../definitions/dmn/index.ts';

/** A one-decision graph: a table over the input `x`; each rule is [input entry, ...output entries]. */
function tableGraph(
  hitPolicy: HitPolicy,
  rules: string[][],
  opts: { outputs?: DecisionOutput[]; aggregation?: Aggregation; input?: string } = {},
): DecisionGraph {
  const outputs = opts.outputs ?? [{ id: 'o1', name: 'out' }];
  const decision: Decision = {
    id: 'd',
    requires: [],
    table: {
      hitPolicy,
      ...(opts.aggregation ? { aggregation: opts.aggregation } : {}),
      inputs: [{ id: 'i1', label: 'X', expression: opts.input ?? 'x' }],
      outputs,
      rules: rules.map(([entry, ...outs], i) => ({
        id: `r${i + 1}`,
        inputEntries: [entry],
        outputEntries: outs,
      })),
    },
  };
  return validateDecisionGraph({ id: 'g', decisions: [decision] }, 'test');
}

const run = (graph: DecisionGraph, x: unknown, id = 'd') => evaluateDecision(graph, id, { x });

function decisionError(fn: () => unknown): DecisionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DecisionError);
    return error as DecisionError;
  }
  throw new Error('expected a DecisionError');
}

describe('hit policies', () => {
  /** One output ranked red, yellow, green: what PRIORITY and OUTPUT ORDER sort by. */
  const trafficLight = [{ id: 'o1', name: 'level', outputValues: ['"red"', '"yellow"', '"green"'] }];

  it('UNIQUE: the one match, null for none, an error naming the rules for several', () => {
    const graph = tableGraph('UNIQUE', [
      ['< 10', '"small"'],
      ['[10..20]', '"medium"'],
      ['>= 15', '"large"'],
    ]);
    expect(run(graph, 5)).toMatchObject({ decisionId: 'd', output: 'small', matchedRules: ['r1'] });
    expect(run(graph, null)).toMatchObject({ output: null, matchedRules: [] });
    const error = decisionError(() => run(graph, 16));
    expect(error.decisionId).toBe('d');
    expect(error.message).toBe('Decision "d" has hit policy UNIQUE but 2 rules match: "r2", "r3"');
  });

  it('FIRST: the first match in rule order; later matches are not evaluated', () => {
    const graph = tableGraph('FIRST', [
      ['> 100', '"huge"'],
      ['> 10', '"big"'],
      ['> 1', '1 +'], // would fail if its output were evaluated
    ]);
    expect(run(graph, 50)).toMatchObject({ output: 'big', matchedRules: ['r2'] });
    expect(run(graph, 0).output).toBeNull();
  });

  it('ANY: equal outputs give that output; different ones are an error', () => {
    const graph = tableGraph(
      'ANY',
      [
        ['> 0', '"yes"', '{a: [1, 2]}'],
        ['> 5', '"yes"', '{a: [1, 2]}'],
        ['> 10', '"yes"', '{a: [1, 3]}'],
      ],
      {
        outputs: [
          { id: 'o1', name: 'answer' },
          { id: 'o2', name: 'detail' },
        ],
      },
    );
    expect(run(graph, 7)).toMatchObject({
      output: { answer: 'yes', detail: { a: [1, 2] } },
      matchedRules: ['r1', 'r2'],
    });
    const error = decisionError(() => run(graph, 11));
    expect(error.ruleId).toBe('r3');
    expect(error.message).toContain('"r1", "r3" give different outputs');
  });

  it('PRIORITY: the match whose output comes first in outputValues; unlisted values last', () => {
    const graph = tableGraph(
      'PRIORITY',
      [
        ['> 0', '"green"'],
        ['> 5', '"purple"'],
        ['> 10', '"yellow"'],
        ['> 20', '"red"'],
      ],
      { outputs: trafficLight },
    );
    expect(run(graph, 1).output).toBe('green');
    expect(run(graph, 6).output).toBe('green'); // purple is not listed: ranks after green
    expect(run(graph, 15).output).toBe('yellow');
    expect(run(graph, 25)).toMatchObject({ output: 'red', matchedRules: ['r1', 'r2', 'r3', 'r4'] });
  });

  it('PRIORITY over two outputs: the first output decides, the second breaks ties', () => {
    const outputs = [
      { id: 'o1', name: 'level', outputValues: ['"high"', '"low"'] },
      { id: 'o2', name: 'code', outputValues: ['1', '2', '3'] },
    ];
    const graph = tableGraph(
      'PRIORITY',
      [
        ['-', '"low"', '1'],
        ['-', '"high"', '3'],
        ['-', '"high"', '2'],
      ],
      { outputs },
    );
    expect(run(graph, 0).output).toEqual({ level: 'high', code: 2 });
  });

  it('OUTPUT ORDER: every match, sorted by priority, ties in rule order', () => {
    const graph = tableGraph(
      'OUTPUT ORDER',
      [
        ['-', '"green"'],
        ['> 5', '"yellow"'],
        ['> 10', '"red"'],
        ['> 0', '"yellow"'],
      ],
      { outputs: trafficLight },
    );
    expect(run(graph, 11).output).toEqual(['red', 'yellow', 'yellow', 'green']);
    expect(run(graph, 0).output).toEqual(['green']);
  });

  it('RULE ORDER: every match in rule order; several outputs give contexts', () => {
    const outputs = [
      { id: 'o1', name: 'label', label: 'Label' },
      { id: 'o2', name: 'weight' },
    ];
    const graph = tableGraph(
      'RULE ORDER',
      [
        ['> 10', '"b"', 'x * 2'],
        ['> 0', '"a"', ''],
      ],
      { outputs },
    );
    expect(run(graph, 11)).toMatchObject({
      output: [
        { label: 'b', weight: 22 },
        { label: 'a', weight: null },
      ],
      matchedRules: ['r1', 'r2'],
    });
    expect(run(graph, -1).output).toBeNull();
  });

  it('COLLECT: the list of outputs, null when nothing matches (as Camunda 8)', () => {
    const graph = tableGraph('COLLECT', [
      ['>= 18', '"adult"'],
      ['>= 65', '"senior"'],
      ['< 0', '"invalid"'],
    ]);
    expect(run(graph, 70).output).toEqual(['adult', 'senior']);
    expect(run(graph, 20).output).toEqual(['adult']);
    expect(run(graph, 5)).toEqual({
      decisionId: 'd',
      output: null,
      matchedRules: [],
      evaluated: [expect.anything()],
    });
  });
});

describe('COLLECT aggregations', () => {
  const points = (aggregation: Aggregation) =>
    tableGraph(
      'COLLECT',
      [
        ['> 0', '10'],
        ['> 5', '2.5'],
        ['> 10', '-4'],
      ],
      { aggregation },
    );

  it.each([
    ['SUM', 8.5, 12.5, null],
    ['MIN', -4, 2.5, null],
    ['MAX', 10, 10, null],
    ['COUNT', 3, 2, 0],
  ] as const)('%s', (aggregation, all, two, none) => {
    const graph = points(aggregation);
    expect(run(graph, 11)).toMatchObject({ output: all, matchedRules: ['r1', 'r2', 'r3'] });
    expect(run(graph, 6).output).toBe(two);
    expect(run(graph, 0).output).toBe(none);
  });

  it('SUM of a value that is not a number is an error naming the rule', () => {
    const graph = tableGraph(
      'COLLECT',
      [
        ['> 0', '1'],
        ['> 5', '"two"'],
      ],
      { aggregation: 'SUM' },
    );
    const error = decisionError(() => run(graph, 6));
    expect(error.ruleId).toBe('r2');
    expect(error.message).toBe(
      'Decision "d" aggregates with SUM but rule "r2" gives the string "two", not a number',
    );
  });
});

describe('input entries', () => {
  it('are unary tests against the input value, with - and empty matching anything', () => {
    const graph = tableGraph('RULE ORDER', [
      ['-', '"any"'],
      ['', '"empty"'],
      ['"a","b"', '"listed"'],
      ['not("b")', '"not b"'],
      ['? = upper case("a") ', '"input variable"'],
      ['[1..5]', '"range"'],
    ]);
    expect(run(graph, 'a').output).toEqual(['any', 'empty', 'listed', 'not b']);
    expect(run(graph, 'b').output).toEqual(['any', 'empty', 'listed']);
    expect(run(graph, 'A').output).toEqual(['any', 'empty', 'not b', 'input variable']);
    expect(run(graph, 3).output).toEqual(['any', 'empty', 'not b', 'range']);
  });
});

describe('required decisions', () => {
  // fee <- (base, discount); base <- rate; discount <- rate: rate is evaluated once
  const graph = validateDecisionGraph(
    {
      id: 'fees',
      decisions: [
        {
          id: 'fee',
          requires: ['base', 'discount'],
          literal: { expression: 'base - discount', variable: 'fee' },
        },
        { id: 'base', requires: ['rate'], literal: { expression: 'amount * rate' } },
        {
          id: 'discount',
          requires: ['rate'],
          table: {
            hitPolicy: 'FIRST',
            inputs: [{ id: 'i', expression: 'rate' }],
            outputs: [{ id: 'o', name: '' }],
            rules: [
              { id: 'high_rate', inputEntries: ['> 0.1'], outputEntries: ['amount * 0.01'] },
              { id: 'low_rate', inputEntries: ['-'], outputEntries: ['0'] },
            ],
          },
        },
        { id: 'rate', requires: [], literal: { expression: 'if member then 0.05 else 0.2' } },
      ],
    },
    'test',
  );

  it('are evaluated first, each once, and their outputs are variables named by their ids', () => {
    const result = evaluateDecision(graph, 'fee', { amount: 1000, member: false });
    expect(result.output).toBe(190);
    expect(result.matchedRules).toEqual([]);
    expect(result.evaluated).toEqual([
      { decisionId: 'rate', output: 0.2, matchedRules: [] },
      { decisionId: 'base', output: 200, matchedRules: [] },
      { decisionId: 'discount', output: 10, matchedRules: ['high_rate'] },
      { decisionId: 'fee', output: 190, matchedRules: [] },
    ]);
    expect(evaluateDecision(graph, 'fee', { amount: 1000, member: true }).output).toBe(50);
  });

  it('a required decision can be called on its own', () => {
    const result = evaluateDecision(graph, 'discount', { amount: 1000, member: true });
    expect(result).toMatchObject({ output: 0, matchedRules: ['low_rate'] });
    expect(result.evaluated.map((e) => e.decisionId)).toEqual(['rate', 'discount']);
  });

  it('a decision output shadows a variable of the same name', () => {
    expect(evaluateDecision(graph, 'base', { amount: 10, member: false, rate: 99 }).output).toBe(2);
  });
});

describe('literal expression decisions', () => {
  it('evaluate their expression over the variables', () => {
    const graph = validateDecisionGraph(
      {
        id: 'g',
        decisions: [{ id: 'greeting', requires: [], literal: { expression: '"Dear " + name' } }],
      },
      'test',
    );
    expect(evaluateDecision(graph, 'greeting', { name: 'Ada' })).toEqual({
      decisionId: 'greeting',
      output: 'Dear Ada',
      matchedRules: [],
      evaluated: [{ decisionId: 'greeting', output: 'Dear Ada', matchedRules: [] }],
    });
    expect(evaluateDecision(graph, 'greeting', {}).output).toBeNull();
  });
});

describe('errors', () => {
  it('an unknown decision id', () => {
    const error = decisionError(() => run(tableGraph('UNIQUE', [['-', '1']]), 1, 'nope'));
    expect(error.decisionId).toBe('nope');
    expect(error.message).toBe('There is no decision "nope" in decision graph "g"');
  });

  it('a FEEL error names the decision, the rule and the expression', () => {
    const badInput = decisionError(() => run(tableGraph('UNIQUE', [['-', '1']], { input: 'x +' }), 1));
    expect(badInput.ruleId).toBeUndefined();
    expect(badInput.message).toMatch(/^Decision "d", input "X": FEEL error in "x \+": /);

    const badEntry = decisionError(() => run(tableGraph('UNIQUE', [['>>', '1']]), 1));
    expect(badEntry.ruleId).toBe('r1');
    expect(badEntry.message).toMatch(/^Decision "d", rule "r1", input entry 1: FEEL error in ">>": /);

    const badOutput = decisionError(() => run(tableGraph('UNIQUE', [['-', 'if x then']]), 1));
    expect(badOutput).toMatchObject({ decisionId: 'd', ruleId: 'r1' });
    expect(badOutput.message).toMatch(
      /^Decision "d", rule "r1", output entry 1: FEEL error in "if x then": /,
    );
  });

  it('a requirement cycle in an unvalidated graph is an error, not a stack overflow', () => {
    const graph: DecisionGraph = {
      id: 'g',
      decisions: [
        { id: 'a', requires: ['b'], literal: { expression: '1' } },
        { id: 'b', requires: ['a'], literal: { expression: '2' } },
      ],
    };
    expect(decisionError(() => evaluateDecision(graph, 'a', {})).message).toBe(
      'Decision "a" requires itself through "b"',
    );
  });
});

describe('determinism', () => {
  const graph = validateDecisionGraph(
    {
      id: 'g',
      decisions: [
        {
          id: 'deadline',
          requires: [],
          table: {
            hitPolicy: 'UNIQUE',
            inputs: [{ id: 'i', label: 'Now', expression: 'now()' }],
            outputs: [
              { id: 'o1', name: 'period' },
              { id: 'o2', name: 'at' },
            ],
            rules: [
              {
                id: 'before',
                inputEntries: ['< date and time("2025-01-01T00:00:00Z")'],
                outputEntries: ['"open"', 'string(now())'],
              },
              {
                id: 'after',
                inputEntries: ['>= date and time("2025-01-01T00:00:00Z")'],
                outputEntries: ['"closed"', 'string(now())'],
              },
            ],
          },
        },
      ],
    },
    'test',
  );

  it('now() in an input expression is the transaction time under atTransactionTime', () => {
    const june2024 = Date.UTC(2024, 5, 1, 12, 30, 0);
    const march2026 = Date.UTC(2026, 2, 1, 8, 0, 0);
    const at = (millis: number) => atTransactionTime(millis, () => evaluateDecision(graph, 'deadline', {}));
    expect(at(june2024)).toMatchObject({
      output: { period: 'open', at: '2024-06-01T12:30:00Z' },
      matchedRules: ['before'],
    });
    expect(at(march2026)).toMatchObject({
      output: { period: 'closed', at: '2026-03-01T08:00:00Z' },
      matchedRules: ['after'],
    });
    expect(at(june2024)).toEqual(at(june2024));
  });
});

describe('the MIWG C.9.0 risk check (test/fixtures/dmn/risk-check.dmn)', () => {
  // From C.9.0.bpmn: the business rule task's output mappings and the gateway's conditions.
  const RISK_LEVELS = 'if result != null then result.riskLevel else ["green"]';
  const RISKS = 'if result != null then result.risk else []';
  const RED = 'some risk in riskLevels satisfies risk = "red"';
  const YELLOW = 'every risk in riskLevels satisfies risk = "yellow"';
  const bpmn = new URL('../../../shared/corpus/miwg/C.9.0.bpmn', import.meta.url);

  it.skipIf(!existsSync(bpmn))('uses the expressions of the BPMN model', () => {
    const text = readFileSync(bpmn, 'utf8').replaceAll('&#34;', '"');
    for (const expression of [RISK_LEVELS, RISKS, RED, YELLOW]) expect(text).toContain(expression);
    expect(text).toContain('<zeebe:calledDecision decisionId="risk_check" resultVariable="result" />');
  });

  async function route(variables: Record<string, unknown>) {
    const compiled = await compileDecisions(readFileSync('test/fixtures/dmn/risk-check.dmn'));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    const result = evaluateDecision(compiled.graph, 'risk_check', variables).output;
    const riskLevels = evaluate(RISK_LEVELS, { result }).value;
    const risks = evaluate(RISKS, { result }).value;
    const red = evaluate(RED, { riskLevels }).value === true;
    const yellow = evaluate(YELLOW, { riskLevels }).value === true;
    return { result, risks, route: red ? 'red' : yellow ? 'yellow' : 'green' };
  }

  const applicant = { age: 40, employment: 'employed', category: 'Standard', priceIndication: 15000 };

  it('a minor with a bad score is rejected', async () => {
    expect(await route({ ...applicant, age: 17, score: 350 })).toEqual({
      result: [
        { riskLevel: 'red', risk: 'Applicant is under 18' },
        { riskLevel: 'red', risk: 'Credit score 350 is below 400' },
      ],
      risks: ['Applicant is under 18', 'Credit score 350 is below 400'],
      route: 'red',
    });
  });

  it('moderate risks only go to a manual check', async () => {
    const unemployed = {
      ...applicant,
      employment: 'unemployed',
      category: 'Premium Car',
      priceIndication: 60000,
    };
    expect(await route({ ...unemployed, score: 550 })).toMatchObject({
      risks: [
        'Applicant has no regular income',
        'Expensive Premium Car without regular employment',
        'Low credit score',
      ],
      route: 'yellow',
    });
  });

  it('no risk: the decision gives null and the mapping defaults to green', async () => {
    expect(await route({ ...applicant, score: 720 })).toEqual({ result: null, risks: [], route: 'green' });
  });
});

describe('validateDecisionGraph', () => {
  const valid = () => ({
    id: 'g',
    decisions: [
      {
        id: 'a',
        requires: ['b'],
        table: {
          hitPolicy: 'COLLECT',
          aggregation: 'SUM',
          inputs: [{ id: 'i', expression: 'x' }],
          outputs: [{ id: 'o', name: '' }],
          rules: [{ id: 'r', inputEntries: ['-'], outputEntries: ['1'] }],
        },
      },
      { id: 'b', requires: [], literal: { expression: '2' } },
    ],
  });

  it('accepts a well-formed graph and returns it', () => {
    const graph = valid();
    expect(validateDecisionGraph(graph, 'DeployDecisions')).toBe(graph);
  });

  it.each([
    ['not an object', () => null, 'field "graph" must be an object'],
    [
      'no decisions',
      (g: any) => ({ ...g, decisions: [] }),
      'field "graph.decisions" must be a non-empty array',
    ],
    [
      'a duplicate decision id',
      (g: any) => ({ ...g, decisions: [g.decisions[0], { ...g.decisions[1], id: 'a' }] }),
      'field "graph.decisions[1].id" repeats the decision id "a"',
    ],
    [
      'both table and literal',
      (g: any) => {
        g.decisions[1].table = g.decisions[0].table;
      },
      'field "graph.decisions[1]" must have exactly one of "table" and "literal"',
    ],
    [
      'an unknown hit policy',
      (g: any) => {
        g.decisions[0].table.hitPolicy = 'SOME';
      },
      'field "graph.decisions[0].table.hitPolicy" must be one of',
    ],
    [
      'an aggregation without COLLECT',
      (g: any) => {
        g.decisions[0].table.hitPolicy = 'FIRST';
      },
      'field "graph.decisions[0].table.aggregation" is only allowed with COLLECT',
    ],
    [
      'a rule with too few entries',
      (g: any) => {
        g.decisions[0].table.rules[0].inputEntries = [];
      },
      'field "graph.decisions[0].table.rules[0].inputEntries" must have 1 entries, one per input',
    ],
    [
      'an unknown required decision',
      (g: any) => {
        g.decisions[0].requires = ['b', 'c'];
      },
      'field "graph.decisions[0].requires[1]" names the unknown decision "c"',
    ],
    [
      'a requirement cycle',
      (g: any) => {
        g.decisions[1].requires = ['a'];
      },
      'field "graph.decisions" have a requirement cycle: a -> b -> a',
    ],
    [
      'an empty literal expression',
      (g: any) => {
        g.decisions[1].literal.expression = '';
      },
      'field "graph.decisions[1].literal.expression" must be a non-empty string',
    ],
  ] as Array<[string, (g: any) => unknown, string]>)('rejects %s, naming the field', (_, change, message) => {
    const graph = valid();
    const returned = change(graph);
    const changed = returned === undefined ? graph : returned;
    expect(() => validateDecisionGraph(changed, 'DeployDecisions')).toThrow(`DeployDecisions: ${message}`);
  });
});
