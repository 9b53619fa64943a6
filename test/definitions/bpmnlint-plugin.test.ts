// Our rules as the bpmnlint plugin `govflow` (definitions/lint/plugin.ts), run through bpmnlint's
// own Linter as Camunda Modeler or a CI lint would run them: every rule reports its invalid
// fixture at the same elements as compile() does, and says nothing about its valid fixture.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import { type Config, Linter, type Resolver, type RuleFactory } from 'bpmnlint';
import { describe, expect, it } from 'vitest';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import govflow from '../../definitions/govflow.json' with { type: 'json' };
import { compile } from '../../definitions/index.ts';
import { configs, PLUGIN_PACKAGE, rules, treeContext } from '../../definitions/lint/plugin.ts';
import type { ModdleElement, ModdleParseResult } from '../../definitions/moddle-types.ts';
import { RULES } from '../../definitions/rules/index.ts';

const require = createRequire(import.meta.url);
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/bpmn/${name}.bpmn`, import.meta.url), 'utf8');

const moddle = new BpmnModdle({ zeebe, govflow });
async function parse(xml: string): Promise<ModdleElement> {
  return ((await moddle.fromXML(xml, 'bpmn:Definitions')) as ModdleParseResult).rootElement;
}

/** What a host resolves from node_modules: bpmnlint's own rules and configs, and our plugin. */
const resolver: Resolver = {
  resolveRule(pkg, ruleName): RuleFactory {
    if (pkg === PLUGIN_PACKAGE && ruleName in rules) return rules[ruleName];
    if (pkg === 'bpmnlint') return require(`bpmnlint/rules/${ruleName}.js`);
    throw new Error(`unknown rule <${pkg}/${ruleName}>`);
  },
  resolveConfig(pkg, configName): Config {
    if (pkg === PLUGIN_PACKAGE && configName in configs) return configs[configName as 'recommended'];
    if (pkg === 'bpmnlint') return require(`bpmnlint/config/${configName}.js`);
    throw new Error(`unknown config <${pkg}:${configName}>`);
  },
};

async function lint(xml: string, config: Config = { extends: 'plugin:govflow/recommended' }) {
  return new Linter({ config, resolver }).lint(await parse(xml));
}

describe('bpmnlint plugin govflow', () => {
  it('has a rule for every rule of ours, all in its recommended config', () => {
    expect(Object.keys(rules).sort()).toEqual(Object.keys(RULES).sort());
    expect(Object.keys(configs.recommended.rules ?? {}).sort()).toEqual(
      Object.keys(RULES)
        .map((code) => `govflow/${code}`)
        .sort(),
    );
  });

  for (const code of Object.keys(RULES)) {
    describe(code, () => {
      it('reports the invalid fixture at the elements compile() reports', async () => {
        const xml = fixture(`${code}.invalid`);
        const compiled = await compile(xml);
        const rootId = (await parse(xml)).id;
        const expected = compiled.diagnostics
          .filter((d) => d.code === code)
          .map((d) => d.elementId ?? rootId)
          .sort();
        expect(expected.length).toBeGreaterThan(0);
        const reports = (await lint(xml))[`govflow/${code}`] ?? [];
        expect(reports.map((r) => r.id).sort()).toEqual(expected);
        const category = configs.recommended.rules?.[`govflow/${code}`] === 'warn' ? 'warn' : 'error';
        for (const report of reports) {
          expect(report.category).toBe(category);
          expect(report.message).toMatch(/\S{3,}/);
        }
      });

      it('reports nothing on the valid fixture', async () => {
        expect((await lint(fixture(`${code}.valid`)))[`govflow/${code}`]).toBeUndefined();
      });
    });
  }

  it('builds its context from the tree alone: no rule reports a position', async () => {
    for (const code of Object.keys(RULES)) {
      const ctx = treeContext(await parse(fixture(`${code}.invalid`)));
      expect(ctx).toBeDefined();
      for (const d of RULES[code](ctx as NonNullable<typeof ctx>)) {
        expect(d.line).toBeUndefined();
        expect(d.column).toBeUndefined();
      }
    }
  });

  it('reports the tree as it is now when the same Linter lints it again after an edit', async () => {
    const definitions = await parse(fixture('service-task-type-missing.invalid'));
    const linter = new Linter({ config: { extends: 'plugin:govflow/recommended' }, resolver });
    expect((await linter.lint(definitions))['govflow/service-task-type-missing']).toHaveLength(1);
    const valid = await parse(fixture('service-task-type-missing.valid'));
    definitions.rootElements = valid.rootElements;
    expect((await linter.lint(definitions))['govflow/service-task-type-missing']).toBeUndefined();
  });

  it('reports nothing when the definitions hold no process to run', async () => {
    const xml =
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:message id="m" name="m" /></bpmn:definitions>';
    expect(await lint(xml)).toEqual({});
  });

  it('runs beside definitions/lint/.bpmnlintrc, bpmnlint rules and ours together', async () => {
    const { moddleExtensions: _parsedAlready, ...rc }: Config & { moddleExtensions?: unknown } = JSON.parse(
      readFileSync(new URL('../../definitions/lint/.bpmnlintrc', import.meta.url), 'utf8'),
    );
    expect(rc.extends).toEqual(['bpmnlint:recommended', 'plugin:govflow/recommended']);
    const results = await lint(fixture('user-task-unassigned.invalid'), rc);
    expect(results['govflow/user-task-unassigned']).toEqual([
      expect.objectContaining({ id: 'review', category: 'warn', severity: 'warning' }),
    ]);
    // a duplicate of ours that the rc switches off stays off
    const noStart = await lint(fixture('no-start-event.invalid'), rc);
    expect(Object.keys(noStart)).toEqual(['govflow/no-start-event']);
  });
});
