// The combined bpmnlint rule (see bpmnlint.ts): every configured bpmnlint rule called on each
// node of one walk, as the Linter would call them one walk per rule.
import type { EnterFn, LeaveFn, ModdleNode, Reporter, RuleDefinition } from 'bpmnlint';

interface RunningRule<Name extends string> {
  name: Name;
  enter?: EnterFn;
  leave?: LeaveFn;
  /** Passes the rule's reports on to the Linter's reporter, tagged with the rule's name. */
  reporter: Reporter;
  /** The node at which the rule's enter returned false: it sees nothing below it. */
  skipping?: ModdleNode;
}

/**
 * One walk for all rules, called only on `nodes`: the definitions, the process we run and its
 * flow elements at every depth. They read everything else (event definitions, conditions, root
 * elements) from these; the rest of the tree (diagrams, lanes, extension elements, other pools'
 * processes, collaborations) would only cost time to walk, and reports on other pools' processes
 * would be about something the compiled model does not run. Each rule's reports carry its
 * name; a rule that throws is recorded in `failures` and not called again (the Linter would log
 * the error to the console; the compiler reports it as a diagnostic instead).
 */
export function combinedCheck<Name extends string>(
  rules: Array<{ name: Name; definition: RuleDefinition }>,
  nodes: Set<ModdleNode>,
  failures: Map<string, unknown>,
): { enter: EnterFn; leave: LeaveFn } {
  // the Linter hands the same reporter to every call; the rules' own reporters forward to it
  let target: Reporter | undefined;
  const running: RunningRule<Name>[] = rules.map(({ name, definition: { check } }) => ({
    name,
    enter: typeof check === 'function' ? check : check.enter,
    leave: typeof check === 'function' ? undefined : check.leave,
    reporter: {
      report(id, message, path) {
        target?.report(id, message, { ...(Array.isArray(path) ? { path } : path), rule: name });
      },
    },
  }));
  const call = (rule: RunningRule<Name>, fn: EnterFn | LeaveFn, node: ModdleNode): unknown => {
    try {
      return fn(node, rule.reporter);
    } catch (error) {
      failures.set(rule.name, error);
      rule.enter = undefined;
      rule.leave = undefined;
      return undefined;
    }
  };
  return {
    enter(node, reporter) {
      if (!nodes.has(node)) return false;
      target = reporter;
      for (const rule of running) {
        if (rule.skipping === undefined && rule.enter && call(rule, rule.enter, node) === false)
          rule.skipping = node;
      }
      return undefined;
    },
    leave(node, reporter) {
      if (!nodes.has(node)) return;
      target = reporter;
      for (const rule of running) {
        if (rule.skipping !== undefined && rule.skipping !== node) continue;
        rule.skipping = undefined;
        if (rule.leave) call(rule, rule.leave, node);
      }
    },
  };
}
