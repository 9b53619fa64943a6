// The `bpmnlint-plugin-govflow` package (npm run lint-plugin) loaded by bpmnlint's own CLI, by
// name, with the shipped definitions/lint/.bpmnlintrc: what a designer runs on models kept
// outside govflow, and what Camunda Modeler's lint plugin bundles.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../definitions/rules/index.ts';
import { buildLintPlugin } from '../../scripts/build-lint-plugin.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'node_modules/bpmnlint/bin/bpmnlint.js');
const fixture = (name: string) => join(REPO, 'test/fixtures/bpmn', `${name}.bpmn`);

let dir: string;
let names: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'govflow-lint-'));
  names = await buildLintPlugin(join(dir, 'node_modules/bpmnlint-plugin-govflow'));
  // the plugin's one dependency, as npm would install it beside it
  symlinkSync(join(REPO, 'node_modules/zeebe-bpmn-moddle'), join(dir, 'node_modules/zeebe-bpmn-moddle'));
  copyFileSync(join(REPO, 'definitions/lint/.bpmnlintrc'), join(dir, '.bpmnlintrc'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bpmnlint(file: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, file], { cwd: dir });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

describe('bpmnlint-plugin-govflow', () => {
  it('is a package exporting every rule by path and the recommended config', () => {
    expect(names).toEqual(Object.keys(RULES).sort());
    const pkg = JSON.parse(
      readFileSync(join(dir, 'node_modules/bpmnlint-plugin-govflow/package.json'), 'utf8'),
    );
    expect(pkg).toMatchObject({ name: 'bpmnlint-plugin-govflow', main: 'index.js' });
    expect(Object.keys(pkg.dependencies)).toEqual(['zeebe-bpmn-moddle']);
  });

  it('passes the shipped models', async () => {
    for (const model of ['property-registration', 'business-setup', 'identity-verification']) {
      const { code, out } = await bpmnlint(join(REPO, 'definitions', `${model}.bpmn`));
      expect(code, out).toBe(0);
      expect(out).not.toContain('govflow/');
    }
  });

  it.each([
    ['no-start-event', 'p'],
    ['service-task-type-missing', 'transfer'],
    ['approval-rule-invalid', 'review'],
    ['business-rule-task-invalid', 'check'],
  ])('reports %s at %s, and not on its valid fixture', async (rule, elementId) => {
    const invalid = await bpmnlint(fixture(`${rule}.invalid`));
    expect(invalid.code).toBe(1);
    expect(invalid.out).toMatch(new RegExp(`^\\s*${elementId}\\s+error\\s.*govflow/${rule}\\s*$`, 'm'));
    const valid = await bpmnlint(fixture(`${rule}.valid`));
    expect(valid.out).not.toContain(`govflow/${rule}`);
  });
});
