// bpmnlint's recommended rules in the compile pipeline (definitions/lint/bpmnlint.ts): the config
// as shipped, a table of small models and the bpmnlint diagnostics they get, and the overlaps
// with our own rules, where exactly one diagnostic must remain.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';
import { BPMNLINT_CONFIG, DUPLICATES_OF_OURS, MAX_GLOBAL_ELEMENTS } from '../../definitions/lint/bpmnlint.ts';
import { RULES } from '../../definitions/rules/index.ts';

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
/** A one-process model; `roots` go before the process (messages, errors, ...). */
const wrap = (body: string, roots = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NS} id="d">\n${roots}  <bpmn:process id="p" isExecutable="true">\n${body}\n  </bpmn:process>\n</bpmn:definitions>\n`;
const cond = (id: string, source: string, target: string, body = '=x') =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${body}</bpmn:conditionExpression></bpmn:sequenceFlow>`;
const flow = (id: string, source: string, target: string, name?: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"${name ? ` name="${name}"` : ''} />`;
const lines = (...parts: string[]) => parts.map((p) => `    ${p}`).join('\n');

/** 1-based line and column of the tag holding the first `id="..."` with this id. */
function positionOf(xml: string, id: string): { line: number; column: number } {
  const tag = xml.lastIndexOf('<', xml.indexOf(` id="${id}"`));
  const before = xml.slice(0, tag).split('\n');
  return { line: before.length, column: (before.at(-1) as string).length + 1 };
}

interface Row {
  rule: string;
  xml: string;
  /** Where the rule must report, by element id (line and column are looked up in the XML). */
  at: string[];
  severity: 'error' | 'warning';
}

const TABLE: Row[] = [
  {
    rule: 'conditional-flows',
    severity: 'error',
    at: ['other'],
    xml: wrap(
      lines(
        '<bpmn:startEvent id="start" />',
        '<bpmn:inclusiveGateway id="which" />',
        '<bpmn:endEvent id="a" />',
        '<bpmn:endEvent id="b" />',
        flow('f1', 'start', 'which'),
        cond('yes', 'which', 'a'),
        flow('other', 'which', 'b'),
      ),
    ),
  },
  {
    rule: 'end-event-required',
    severity: 'error',
    at: ['sub'],
    xml: wrap(
      lines(
        '<bpmn:startEvent id="start" />',
        '<bpmn:subProcess id="sub" name="Checks">',
        '  <bpmn:startEvent id="subStart" />',
        '</bpmn:subProcess>',
        '<bpmn:endEvent id="end" />',
        flow('f1', 'start', 'sub'),
        flow('f2', 'sub', 'end'),
      ),
    ),
  },
  {
    rule: 'no-duplicate-sequence-flows',
    severity: 'error',
    at: ['t', 'end', 'f3'],
    xml: wrap(
      lines(
        '<bpmn:startEvent id="start" />',
        '<bpmn:manualTask id="t" />',
        '<bpmn:endEvent id="end" />',
        flow('f1', 'start', 't'),
        flow('f2', 't', 'end'),
        flow('f3', 't', 'end'),
      ),
    ),
  },
  {
    rule: 'fake-join',
    severity: 'warning',
    at: ['t'],
    xml: wrap(
      lines(
        '<bpmn:startEvent id="start" />',
        '<bpmn:parallelGateway id="fork" />',
        '<bpmn:manualTask id="a" />',
        '<bpmn:manualTask id="b" />',
        '<bpmn:manualTask id="t" name="Archive" />',
        '<bpmn:endEvent id="end" />',
        flow('f1', 'start', 'fork'),
        flow('f2', 'fork', 'a'),
        flow('f3', 'fork', 'b'),
        flow('f4', 'a', 't'),
        flow('f5', 'b', 't'),
        flow('f6', 't', 'end'),
      ),
    ),
  },
  {
    rule: 'no-gateway-join-fork',
    severity: 'warning',
    at: ['both'],
    xml: wrap(
      lines(
        '<bpmn:startEvent id="start" />',
        '<bpmn:parallelGateway id="fork" />',
        '<bpmn:manualTask id="a" />',
        '<bpmn:manualTask id="b" />',
        '<bpmn:parallelGateway id="both" />',
        '<bpmn:endEvent id="e1" />',
        '<bpmn:endEvent id="e2" />',
        flow('f1', 'start', 'fork'),
        flow('f2', 'fork', 'a'),
        flow('f3', 'fork', 'b'),
        flow('f4', 'a', 'both'),
        flow('f5', 'b', 'both'),
        flow('f6', 'both', 'e1'),
        flow('f7', 'both', 'e2'),
      ),
    ),
  },
  {
    rule: 'no-implicit-split',
    severity: 'warning',
    at: ['t'],
    xml: wrap(
      lines(
        '<bpmn:startEvent id="start" />',
        '<bpmn:manualTask id="t" />',
        '<bpmn:endEvent id="e1" />',
        '<bpmn:endEvent id="e2" />',
        flow('f1', 'start', 't'),
        flow('f2', 't', 'e1'),
        flow('f3', 't', 'e2'),
      ),
    ),
  },
  {
    rule: 'superfluous-gateway',
    severity: 'warning',
    at: ['g'],
    xml: wrap(
      lines(
        '<bpmn:startEvent id="start" />',
        '<bpmn:exclusiveGateway id="g" />',
        '<bpmn:endEvent id="end" />',
        flow('f1', 'start', 'g'),
        flow('f2', 'g', 'end'),
      ),
    ),
  },
  {
    rule: 'superfluous-termination',
    severity: 'warning',
    at: ['end'],
    xml: wrap(
      lines(
        '<bpmn:startEvent id="start" />',
        '<bpmn:endEvent id="end"><bpmn:terminateEventDefinition /></bpmn:endEvent>',
        flow('f1', 'start', 'end'),
      ),
    ),
  },
  {
    rule: 'superfluous-label',
    severity: 'warning',
    at: ['f1'],
    xml: wrap(
      lines('<bpmn:startEvent id="start" />', '<bpmn:endEvent id="end" />', flow('f1', 'start', 'end', 'Go')),
    ),
  },
  {
    rule: 'global',
    severity: 'warning',
    at: ['unused'],
    xml: wrap(
      lines('<bpmn:startEvent id="start" />', '<bpmn:endEvent id="end" />', flow('f1', 'start', 'end')),
      '  <bpmn:message id="unused" name="never-sent" />\n',
    ),
  },
];

describe('bpmnlint diagnostics', () => {
  for (const { rule, xml, at, severity } of TABLE) {
    it(`bpmnlint/${rule}: ${severity} at ${at.join(', ')}`, async () => {
      const result = await compile(xml);
      expect(result.ok).toBe(severity === 'warning');
      const reported = result.diagnostics.filter((d) => d.code === `bpmnlint/${rule}`);
      expect(reported.map((d) => d.elementId).sort()).toEqual([...at].sort());
      for (const d of reported) {
        expect(d).toMatchObject({ severity, ...positionOf(xml, d.elementId as string) });
        expect(d.message).toMatch(/\S{3,}/);
      }
      // nothing else gets reported twice: one diagnostic per element and code
      const keys = result.diagnostics.map((d) => `${d.code} ${d.elementId}`);
      expect(keys).toEqual([...new Set(keys)]);
    });
  }

  it('names the element and its name in the message', async () => {
    const fakeJoin = TABLE.find((row) => row.rule === 'fake-join') as Row;
    const result = await compile(fakeJoin.xml);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'bpmnlint/fake-join',
        elementId: 't',
        elementName: 'Archive',
        message: 'Manual task "t" ("Archive"): incoming flows do not join',
      }),
    );
  });

  it('drops a split or join warning where the flows are duplicates', async () => {
    const duplicate = TABLE.find((row) => row.rule === 'no-duplicate-sequence-flows') as Row;
    const codes = (await compile(duplicate.xml)).diagnostics.map((d) => d.code);
    expect(codes).not.toContain('bpmnlint/fake-join');
    expect(codes).not.toContain('bpmnlint/no-implicit-split');
  });

  it('reads flows from the sequence flows, not from stale <bpmn:incoming>/<bpmn:outgoing> lists', async () => {
    const xml = wrap(
      lines(
        '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing><bpmn:outgoing>f2</bpmn:outgoing></bpmn:startEvent>',
        '<bpmn:manualTask id="t" />',
        '<bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>',
        flow('f1', 'start', 't'),
        flow('f2', 't', 'end'),
      ),
    );
    expect(await compile(xml)).toMatchObject({ ok: true, diagnostics: [] });
  });
});

describe('bpmnlint and our rules: one diagnostic per problem', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'a process without an end event',
      wrap(lines('<bpmn:startEvent id="start" />', '<bpmn:manualTask id="t" />', flow('f1', 'start', 't'))),
      ['no-end-event p', 'dead-end t'],
    ],
    [
      'a process without a start event',
      wrap(lines('<bpmn:manualTask id="t" />', '<bpmn:endEvent id="end" />', flow('f1', 't', 'end'))),
      ['no-start-event p'],
    ],
    [
      'a splitting exclusive gateway with a default and a flow without condition',
      wrap(
        lines(
          '<bpmn:startEvent id="start" />',
          '<bpmn:exclusiveGateway id="g" default="f2" />',
          '<bpmn:endEvent id="e1" />',
          '<bpmn:endEvent id="e2" />',
          '<bpmn:endEvent id="e3" />',
          flow('f1', 'start', 'g'),
          flow('f2', 'g', 'e1'),
          flow('f3', 'g', 'e2'),
          cond('f4', 'g', 'e3'),
        ),
      ),
      ['exclusive-gateway-no-default-or-conditions g'],
    ],
    [
      'a condition on a flow leaving a task',
      wrap(
        lines(
          '<bpmn:startEvent id="start" />',
          '<bpmn:manualTask id="t" />',
          '<bpmn:endEvent id="e1" />',
          '<bpmn:endEvent id="e2" />',
          flow('f1', 'start', 't'),
          cond('f2', 't', 'e1'),
          flow('f3', 't', 'e2'),
        ),
      ),
      ['conditional-flow-from-task f2'],
    ],
    [
      'two none start events',
      wrap(
        lines(
          '<bpmn:startEvent id="s1" />',
          '<bpmn:startEvent id="s2" />',
          '<bpmn:endEvent id="end" />',
          flow('f1', 's1', 'end'),
          flow('f2', 's2', 'end'),
        ),
      ),
      ['multiple-start-events s2', 'bpmnlint/fake-join end'],
    ],
    [
      'an element without any flow',
      wrap(
        lines(
          '<bpmn:startEvent id="start" />',
          '<bpmn:manualTask id="lost" />',
          '<bpmn:endEvent id="end" />',
          flow('f1', 'start', 'end'),
        ),
      ),
      ['unreachable-element lost', 'dead-end lost'],
    ],
    [
      'a complex gateway',
      wrap(
        lines(
          '<bpmn:startEvent id="start" />',
          '<bpmn:complexGateway id="cx" />',
          '<bpmn:endEvent id="end" />',
          flow('f1', 'start', 'cx'),
          flow('f2', 'cx', 'end'),
        ),
      ),
      ['unsupported-element cx'],
    ],
    [
      'an ad-hoc sub-process holding a start event',
      wrap(
        lines(
          '<bpmn:startEvent id="start" />',
          '<bpmn:adHocSubProcess id="adhoc"><bpmn:startEvent id="inner" /></bpmn:adHocSubProcess>',
          '<bpmn:endEvent id="end" />',
          flow('f1', 'start', 'adhoc'),
          flow('f2', 'adhoc', 'end'),
        ),
      ),
      ['unsupported-element adhoc'],
    ],
    [
      'a link throw event without its catch event',
      wrap(
        lines(
          '<bpmn:startEvent id="start" />',
          '<bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="away" /></bpmn:intermediateThrowEvent>',
          flow('f1', 'start', 'jump'),
        ),
      ),
      ['no-end-event p', 'link-unmatched jump'],
    ],
  ];
  for (const [what, xml, expected] of cases) {
    it(what, async () => {
      const result = await compile(xml);
      expect(result.diagnostics.map((d) => `${d.code} ${d.elementId}`).sort()).toEqual([...expected].sort());
    });
  }
});

describe('bpmnlint config', () => {
  const require = createRequire(import.meta.url);
  const recommended: { rules: Record<string, string> } = require('bpmnlint/config/recommended.js');

  it('sets every rule of bpmnlint:recommended, and only those', () => {
    expect(Object.keys(BPMNLINT_CONFIG.rules).sort()).toEqual(Object.keys(recommended.rules).sort());
  });

  it('is mirrored by definitions/lint/.bpmnlintrc, which adds our plugin and the extension packages', () => {
    const {
      extends: extended,
      moddleExtensions,
      ...rc
    } = JSON.parse(readFileSync(new URL('../../definitions/lint/.bpmnlintrc', import.meta.url), 'utf8'));
    expect({ ...rc, extends: extended.filter((e: string) => e !== 'plugin:govflow/recommended') }).toEqual(
      BPMNLINT_CONFIG,
    );
    expect(extended).toContain('plugin:govflow/recommended');
    expect(Object.keys(moddleExtensions).sort()).toEqual(['govflow', 'zeebe']);
  });

  it('switches off exactly the duplicates of our rules, naming rules that exist', () => {
    const style = ['label-required', 'no-bpmndi', 'no-overlapping-elements', 'no-inclusive-gateway'];
    const off = Object.entries(BPMNLINT_CONFIG.rules)
      .filter(([, severity]) => severity === 'off')
      .map(([rule]) => rule);
    expect(off.filter((rule) => !style.includes(rule)).sort()).toEqual(
      Object.keys(DUPLICATES_OF_OURS).sort(),
    );
    for (const ours of Object.values(DUPLICATES_OF_OURS).flat()) expect(Object.keys(RULES)).toContain(ours);
  });

  it(`skips the quadratic global rule beyond ${MAX_GLOBAL_ELEMENTS} messages, errors, escalations and signals`, async () => {
    const messages = Array.from(
      { length: MAX_GLOBAL_ELEMENTS + 1 },
      (_, i) => `  <bpmn:message id="m${i}" name="m${i}" />\n`,
    ).join('');
    const xml = wrap(
      lines('<bpmn:startEvent id="start" />', '<bpmn:endEvent id="end" />', flow('f1', 'start', 'end')),
      messages,
    );
    const started = performance.now();
    const result = await compile(xml);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'bpmnlint/global', severity: 'warning', elementId: 'd', line: 2 }),
    ]);
  });
});
