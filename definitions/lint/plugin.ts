// Our validation rules (definitions/rules/) as a bpmnlint plugin, `govflow`, so that they can run
// where only bpmnlint runs: Camunda Modeler's linting and a CI lint of models kept outside
// govflow. `npm run lint-plugin` builds it as the package `bpmnlint-plugin-govflow`
// (scripts/build-lint-plugin.ts), which definitions/lint/.bpmnlintrc extends by name.
//
// One adapter serves every rule: the plugin rule runs the rule of ours once, when bpmnlint calls
// it on the `bpmn:Definitions` root (and returns false there, so it is not called again below),
// over a CompileContext built from the moddle tree alone, and reports each diagnostic at its
// element's id (the root's when it has none). bpmnlint gives a rule neither the XML text nor
// moddle's parse warnings, so the context has an empty-text Locator (no line/column; rules that
// point inside an element, like approval-rule-invalid, fall back to the element) and no
// unresolved references (flow-target-missing still names the flow, but as having no target
// rather than naming the missing id). Severity is bpmnlint's, per rule (recommended below); the
// diagnostic's own severity travels along in the report's `severity` field.
//
// compile() keeps calling the rules directly, not through this plugin: there they get the
// Locator over the uploaded text and report line and column, down to an approval rule or form
// field inside an element, which bpmnlint's reports (an element id and a message) cannot carry.
import type { Config, Reporter, RuleFactory, RuleSeverity } from 'bpmnlint';
import { type CompileContext, createContext, type Rule } from '../context.ts';
import { Locator } from '../locate.ts';
import type { ModdleElement } from '../moddle-types.ts';
import { RULES } from '../rules/index.ts';
import { selectProcess } from '../select.ts';

/** How configs name the plugin (`plugin:govflow/recommended`, `govflow/<rule>`). */
export const PLUGIN_NAME = 'govflow';
/** The package name bpmnlint resolves that to. */
export const PLUGIN_PACKAGE = `bpmnlint-plugin-${PLUGIN_NAME}`;

/** Rules whose findings are only warnings: the engine runs the model all the same. */
const WARNING_RULES = new Set(['user-task-unassigned']);

/**
 * The context our rules see, from the tree alone. Undefined when the definitions hold no
 * process we would run (none, or several and not exactly one executable): compile() rejects
 * such a model before any rule runs, and so do the plugin's rules, silently.
 */
export function treeContext(definitions: ModdleElement): CompileContext | undefined {
  const locator = new Locator('');
  const { process } = selectProcess(definitions, locator);
  return process ? createContext(locator, definitions, process, []) : undefined;
}

/** The bpmnlint rule that runs one rule of ours on the whole tree. */
export function pluginRule(rule: Rule): RuleFactory {
  return () => ({
    check(node: ModdleElement, reporter: Reporter) {
      if (node?.$type !== 'bpmn:Definitions') return undefined;
      const ctx = treeContext(node);
      // built anew on every lint: the Linter keeps a rule across lints, and the Modeler lints
      // the same (edited) tree again and again
      if (ctx) {
        for (const diagnostic of rule(ctx)) {
          reporter.report(diagnostic.elementId ?? node.id, diagnostic.message, {
            severity: diagnostic.severity,
          });
        }
      }
      return false; // nothing below the root needs a visit
    },
  });
}

export const rules: Readonly<Record<string, RuleFactory>> = Object.fromEntries(
  Object.entries(RULES).map(([name, rule]) => [name, pluginRule(rule)]),
);

export const configs: Readonly<Record<'recommended', Config>> = {
  recommended: {
    rules: Object.fromEntries(
      Object.keys(RULES).map((name): [string, RuleSeverity] => [
        `${PLUGIN_NAME}/${name}`,
        WARNING_RULES.has(name) ? 'warn' : 'error',
      ]),
    ),
  },
};

/** The plugin as bpmnlint expects `bpmnlint-plugin-govflow` to export it. */
export const govflowPlugin = { rules, configs };
export default govflowPlugin;
