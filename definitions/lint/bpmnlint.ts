// bpmnlint's recommended rules, run in the compile pipeline through its Linter API on the moddle
// tree parse.ts already built (no second parse, no .bpmnlintrc lookup at run time: the config
// and the rule modules are resolved in code). Each report becomes a Diagnostic with the code
// `bpmnlint/<rule>`, the element's id and name, and its line/column from our Locator.
//
// The Linter walks the whole tree once per rule; with eleven rules those walks cost more than
// all our own rules together (C.8.1: 1.3 ms, against 0.5 ms in one walk). So the Linter runs one rule, `govflow/recommended` (resolved in code
// like the others), which walks the tree once and calls each configured bpmnlint rule on every
// node, exactly as the Linter would have (a rule that returns false at a node does not see
// what lies below it), reporting under each rule's own name and severity.
//
// Where a bpmnlint rule reports exactly what one of our rules (definitions/rules/) reports, the
// bpmnlint rule is switched off below, with a comment naming ours: ours place the problem
// better (the offending start event rather than its process, the flow rather than its
// gateway) and say what the engine needs. Where a kept rule overlaps ours only in part, its
// reports on elements ours already report for the same problem are dropped (COVERED below), so
// no element gets two diagnostics for one problem.
import {
  type Config,
  Linter,
  type ModdleNode,
  type Resolver,
  type RuleFactory,
  type RuleSeverity,
} from 'bpmnlint';
import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process.js';
import conditionalFlows from 'bpmnlint/rules/conditional-flows.js';
import endEventRequired from 'bpmnlint/rules/end-event-required.js';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway.js';
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event.js';
import fakeJoin from 'bpmnlint/rules/fake-join.js';
import global from 'bpmnlint/rules/global.js';
import labelRequired from 'bpmnlint/rules/label-required.js';
import linkEvent from 'bpmnlint/rules/link-event.js';
import noBpmndi from 'bpmnlint/rules/no-bpmndi.js';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway.js';
import noDisconnected from 'bpmnlint/rules/no-disconnected.js';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows.js';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork.js';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end.js';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split.js';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start.js';
import noInclusiveGateway from 'bpmnlint/rules/no-inclusive-gateway.js';
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements.js';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event.js';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition.js';
import startEventRequired from 'bpmnlint/rules/start-event-required.js';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event.js';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway.js';
import superfluousLabel from 'bpmnlint/rules/superfluous-label.js';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination.js';
import type { CompileContext } from '../context.ts';
import { described, makeDiagnostic, refer } from '../diagnostic.ts';
import { internalError } from '../diagnostic-list.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { combinedCheck } from './combined-check.ts';
import { PLUGIN_NAME, PLUGIN_PACKAGE } from './plugin.ts';

/**
 * The rules of bpmnlint:recommended (bpmnlint 11.14) and their severity in govflow.
 * definitions/lint/.bpmnlintrc mirrors this object for Camunda Modeler's linting plugin
 * (a test keeps the two equal). `extends` is for the Modeler and other bpmnlint hosts only:
 * bpmnlint:recommended adds nothing to the rules listed (a test checks they are exactly its
 * rules); bpmnlint() below reads `rules` alone. Our own rules as a bpmnlint plugin (plugin.ts)
 * are not extended here: hosts load plugins as packages (bpmnlint-plugin-govflow), and until
 * one is published a reference to it would make the file unloadable.
 */
export const BPMNLINT_CONFIG = {
  extends: ['bpmnlint:recommended'],
  rules: {
    // the model is wrong or cannot run: the deployment is rejected
    'ad-hoc-sub-process': 'error', // silent for now: unsupported-element rejects an ad-hoc sub-process whole
    'conditional-flows': 'error',
    'end-event-required': 'error', // the process itself: our no-end-event (COVERED); sub-processes: this rule
    'no-duplicate-sequence-flows': 'error',
    // worth a look, but the engine runs it as drawn
    'fake-join': 'warn',
    global: 'warn',
    'no-gateway-join-fork': 'warn',
    'no-implicit-split': 'warn',
    'superfluous-gateway': 'warn',
    'superfluous-label': 'warn',
    'superfluous-termination': 'warn',
    // layout and style, not execution
    'label-required': 'off',
    'no-bpmndi': 'off',
    'no-overlapping-elements': 'off',
    'no-inclusive-gateway': 'off', // govflow runs inclusive gateways
    // duplicates of our rules (which name the offending element and what the engine needs)
    'event-based-gateway': 'off', // event-based-gateway-target-invalid (fewer than 2 flows), conditional-flow-from-task (conditions)
    'event-sub-process-typed-start-event': 'off', // sub-process-start-invalid
    'link-event': 'off', // link-unmatched, event-definition-incomplete (no name), unreachable-element (catch without throw)
    'no-complex-gateway': 'off', // unsupported-element
    'no-disconnected': 'off', // unreachable-element and dead-end
    'no-implicit-end': 'off', // dead-end
    'no-implicit-start': 'off', // unreachable-element
    'single-blank-start-event': 'off', // multiple-start-events (process), sub-process-start-invalid (sub-processes)
    'single-event-definition': 'off', // unsupported-element (a multiple event)
    'start-event-required': 'off', // no-start-event (process), sub-process-start-invalid (sub-processes)
    'sub-process-blank-start-event': 'off', // sub-process-start-invalid
  },
} as const satisfies Config;

export type BpmnlintRule = keyof typeof BPMNLINT_CONFIG.rules;

/** The bpmnlint rules switched off as duplicates, and the rules of ours that report the same problems. */
export const DUPLICATES_OF_OURS: Partial<Record<BpmnlintRule, string[]>> = {
  'event-based-gateway': ['event-based-gateway-target-invalid', 'conditional-flow-from-task'],
  'event-sub-process-typed-start-event': ['sub-process-start-invalid'],
  'link-event': ['link-unmatched', 'event-definition-incomplete', 'unreachable-element'],
  'no-complex-gateway': ['unsupported-element'],
  'no-disconnected': ['unreachable-element', 'dead-end'],
  'no-implicit-end': ['dead-end'],
  'no-implicit-start': ['unreachable-element'],
  'single-blank-start-event': ['multiple-start-events', 'sub-process-start-invalid'],
  'single-event-definition': ['unsupported-element'],
  'start-event-required': ['no-start-event', 'sub-process-start-invalid'],
  'sub-process-blank-start-event': ['sub-process-start-invalid'],
};

const RULE_MODULES: Record<BpmnlintRule, RuleFactory> = {
  'ad-hoc-sub-process': adHocSubProcess,
  'conditional-flows': conditionalFlows,
  'end-event-required': endEventRequired,
  'event-based-gateway': eventBasedGateway,
  'event-sub-process-typed-start-event': eventSubProcessTypedStartEvent,
  'fake-join': fakeJoin,
  global,
  'label-required': labelRequired,
  'link-event': linkEvent,
  'no-bpmndi': noBpmndi,
  'no-complex-gateway': noComplexGateway,
  'no-disconnected': noDisconnected,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'no-gateway-join-fork': noGatewayJoinFork,
  'no-implicit-end': noImplicitEnd,
  'no-implicit-split': noImplicitSplit,
  'no-implicit-start': noImplicitStart,
  'no-inclusive-gateway': noInclusiveGateway,
  'no-overlapping-elements': noOverlappingElements,
  'single-blank-start-event': singleBlankStartEvent,
  'single-event-definition': singleEventDefinition,
  'start-event-required': startEventRequired,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'superfluous-gateway': superfluousGateway,
  'superfluous-label': superfluousLabel,
  'superfluous-termination': superfluousTermination,
};

/** The one rule the Linter runs: every configured bpmnlint rule in a single walk (see the top). */
const COMBINED_RULE = `${PLUGIN_NAME}/recommended`;

/**
 * Resolves `bpmnlint/<rule>` to the modules imported above and `govflow/recommended` to the
 * combined rule; nothing is looked up on disk.
 */
function resolverFor(combined: RuleFactory): Resolver {
  return {
    resolveRule(pkg: string, ruleName: string): RuleFactory {
      if (pkg === PLUGIN_PACKAGE && ruleName === 'recommended') return combined;
      const rule = pkg === 'bpmnlint' ? RULE_MODULES[ruleName as BpmnlintRule] : undefined;
      if (!rule) throw new Error(`unknown bpmnlint rule <${pkg}/${ruleName}>`);
      return rule;
    },
    resolveConfig(pkg: string, configName: string): Config {
      throw new Error(`bpmnlint configs are not resolved at run time (<${pkg}:${configName}>)`);
    },
  };
}

/**
 * `global` compares every message, error, escalation and signal with every other and with every
 * reference to it: quadratic. Above this many it is skipped (with a warning) so that a hostile
 * model cannot stall the compiler.
 */
export const MAX_GLOBAL_ELEMENTS = 2000;
const GLOBAL_TYPES = new Set(['bpmn:Message', 'bpmn:Error', 'bpmn:Escalation', 'bpmn:Signal']);

/** What is already reported, for COVERED. */
interface Reported {
  /** The codes of the diagnostics (ours and bpmnlint's) on an element, by its id. */
  at(id: string | undefined): Set<string>;
  /** Elements with an outgoing flow whose condition ours report as never evaluated. */
  ignoredConditionSources: Set<string | undefined>;
}

/** Reports dropped because another diagnostic already names the same problem. */
const COVERED: Partial<
  Record<BpmnlintRule, (element: ModdleElement | undefined, known: Reported) => boolean>
> = {
  // the process without an end event is our no-end-event's; a sub-process without one is bpmnlint's
  'end-event-required': (element, known) => known.at(element?.id).has('no-end-event'),
  // a splitting exclusive gateway is reported by ours at the gateway; a condition on a flow that
  // is never evaluated (leaving a task, event or parallel gateway) by ours at that flow
  'conditional-flows': (flow, known) =>
    known.at(flow?.sourceRef?.id).has('exclusive-gateway-no-default-or-conditions') ||
    known.ignoredConditionSources.has(flow?.sourceRef?.id),
  // two identical flows: the duplicate is the problem, not the split or join they make
  'fake-join': (element, known) => known.at(element?.id).has('bpmnlint/no-duplicate-sequence-flows'),
  'no-implicit-split': (element, known) => known.at(element?.id).has('bpmnlint/no-duplicate-sequence-flows'),
};

const IGNORED_CONDITION = new Set(['conditional-flow-from-task', 'parallel-gateway-conditions']);

/**
 * Runs the configured bpmnlint rules on the compiled process (and the definitions' global
 * elements). `ours` are the diagnostics of our own rules, for COVERED.
 */
export async function bpmnlint(ctx: CompileContext, ours: Diagnostic[]): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  const rules: Config['rules'] = { ...BPMNLINT_CONFIG.rules };
  const globals = (ctx.definitions.rootElements ?? []).filter((r: ModdleElement) =>
    GLOBAL_TYPES.has(r?.$type),
  );
  if (globals.length > MAX_GLOBAL_ELEMENTS && rules.global !== 'off') {
    rules.global = 'off';
    const message = `The model declares ${globals.length} messages, errors, escalations and signals; bpmnlint's global rule checks at most ${MAX_GLOBAL_ELEMENTS} and was skipped`;
    found.push(
      makeDiagnostic(ctx.locator, 'bpmnlint/global', message, ctx.definitions, { severity: 'warning' }),
    );
  }

  const tree = walkProcess(ctx);
  deriveConnections(tree.flows);
  const failures = new Map<string, unknown>();
  const nodes = new Set<ModdleNode>([ctx.definitions, ...tree.elements]);
  const enabled = Object.entries(rules).filter(([, severity]) => severity !== 'off') as Array<
    [BpmnlintRule, RuleSeverity]
  >;
  const severityOf = new Map(enabled);
  const combined: RuleFactory = () => ({
    check: combinedCheck(
      enabled.map(([name]) => ({ name, definition: RULE_MODULES[name]() })),
      nodes,
      failures,
    ),
  });
  // a new Linter per compilation: it caches rule instances, and some keep state between nodes
  const linter = new Linter({
    config: { rules: { [COMBINED_RULE]: 'error' } },
    resolver: resolverFor(combined),
  });
  const results = await linter.lint(ctx.definitions);

  const elements = new ElementIndex(ctx, tree.elements);
  const reported: Array<{ rule: BpmnlintRule; element?: ModdleElement; diagnostic: Diagnostic }> = [];
  for (const report of results[COMBINED_RULE] ?? []) {
    if (report.category === 'rule-error') failures.set(COMBINED_RULE, new Error(report.message));
    const rule = report.rule as BpmnlintRule | undefined;
    if (!rule || failures.has(rule)) continue;
    const element = elements.get(report.id);
    const what = element ? described(element) : refer({ id: report.id });
    // `Element is unused.` -> `Message "m": element is unused` (`SequenceFlow` stays as it is)
    const text = report.message.replace(/\.$/, '').replace(/^[A-Z](?=[a-z]*\b)/, (c) => c.toLowerCase());
    const severity = severityOf.get(rule) === 'error' ? 'error' : 'warning';
    const diagnostic = makeDiagnostic(
      ctx.locator,
      `bpmnlint/${rule}`,
      `${what}: ${text}`,
      element ?? { id: report.id },
      { severity },
    );
    reported.push({ rule, element, diagnostic });
  }
  for (const [rule, error] of failures) {
    const name = rule === COMBINED_RULE ? rule : `bpmnlint/${rule}`;
    found.push(internalError(`Rule ${name} failed unexpectedly`, error));
  }

  const codesAt = new Map<string, Set<string>>();
  for (const d of [...ours, ...reported.map((r) => r.diagnostic)]) {
    if (!d.elementId) continue;
    const codes = codesAt.get(d.elementId) ?? new Set<string>();
    codes.add(d.code);
    codesAt.set(d.elementId, codes);
  }
  const none = new Set<string>();
  const known: Reported = {
    at: (id) => (id ? codesAt.get(id) : undefined) ?? none,
    ignoredConditionSources: new Set(
      ours.filter((d) => IGNORED_CONDITION.has(d.code)).map((d) => elements.get(d.elementId)?.sourceRef?.id),
    ),
  };
  for (const { rule, element, diagnostic } of reported) {
    if (insideUnsupported(element, known) || COVERED[rule]?.(element, known)) continue;
    found.push(diagnostic);
  }
  return found;
}

interface ProcessTree {
  /**
   * The process and its flow elements at every depth, including what our scopes leave out (data
   * elements, the content of ad-hoc sub-processes and transactions), parents before children.
   */
  elements: ModdleElement[];
  /** The sequence flows among them, container by container. */
  flows: ModdleElement[];
}

/**
 * One walk over the process (depth first, the last child first), which also clears the
 * `incoming`/`outgoing` references of every flow element but the flows for deriveConnections.
 */
function walkProcess(ctx: CompileContext): ProcessTree {
  const tree: ProcessTree = { elements: [], flows: [] };
  const pending: ModdleElement[] = [ctx.process];
  while (pending.length > 0) {
    const element = pending.pop() as ModdleElement;
    tree.elements.push(element);
    for (const child of element.flowElements ?? []) {
      if (!child) continue;
      if (child.$type === 'bpmn:SequenceFlow') tree.flows.push(child);
      else {
        child.incoming = [];
        child.outgoing = [];
      }
      pending.push(child);
    }
  }
  return tree;
}

/**
 * bpmnlint reads a node's flows from its `incoming`/`outgoing` references. bpmn-js derives them
 * from the sequence flows when it imports a diagram, and Camunda Modeler writes them out, but a
 * model written by hand has none and a hand-edited one may list stale ones. The sequence flows
 * are what the engine runs, so the references are set from them, at every depth (the tree is
 * this compilation's own; nothing else reads these references). walkProcess() cleared them.
 */
function deriveConnections(flows: ModdleElement[]): void {
  for (const flow of flows) {
    // a flow with a missing end is flow-target-missing's; it connects nothing
    const { sourceRef: source, targetRef: target } = flow;
    if (Array.isArray(source?.outgoing) && Array.isArray(target?.incoming)) {
      source.outgoing.push(flow);
      target.incoming.push(flow);
    }
  }
}

/** An element our unsupported-element rejects (or anything in it) needs no further comment. */
function insideUnsupported(element: ModdleElement | undefined, known: Reported): boolean {
  for (let current = element; current; current = current.$parent) {
    if (known.at(current.id).has('unsupported-element')) return true;
  }
  return false;
}

/**
 * Reported ids -> moddle elements: the process's nodes and flows, root elements, then the rest
 * of the process tree (what our scopes leave out: data elements, the content of ad-hoc
 * sub-processes and transactions), the first in walk order where an id repeats.
 */
class ElementIndex {
  private readonly byId = new Map<string, ModdleElement>();
  /** The whole tree by id, indexed on the first miss. */
  private rest?: Map<string, ModdleElement>;

  constructor(
    ctx: CompileContext,
    private readonly tree: ModdleElement[],
  ) {
    for (const root of ctx.definitions.rootElements ?? []) if (root?.id) this.byId.set(root.id, root);
    for (const [id, node] of ctx.nodeById) this.byId.set(id, node);
    for (const flow of ctx.flows) if (flow.id) this.byId.set(flow.id, flow);
  }

  get(id: string | undefined): ModdleElement | undefined {
    if (!id) return undefined;
    const known = this.byId.get(id);
    if (known) return known;
    if (!this.rest) {
      this.rest = new Map();
      for (const element of this.tree)
        if (element.id && !this.rest.has(element.id)) this.rest.set(element.id, element);
    }
    return this.rest.get(id);
  }
}
