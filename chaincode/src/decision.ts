// DMN decisions as the ledger stores them: the compiled form of a DMN model's decision tables
// and literal expressions (Camunda 8 runs no other decision logic). Plain JSON, so it can be a
// transaction argument; validateDecisionGraph checks one received from outside.

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export const HIT_POLICIES: readonly HitPolicy[] = [
  'UNIQUE',
  'FIRST',
  'PRIORITY',
  'ANY',
  'COLLECT',
  'RULE ORDER',
  'OUTPUT ORDER',
];
export const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

export interface DecisionInput {
  id: string;
  label?: string;
  /** FEEL expression giving the value the column's input entries test. */
  expression: string;
}

export interface DecisionOutput {
  id: string;
  label?: string;
  /** Key in the result context when the table has several outputs; may be '' for a single one. */
  name: string;
  /** The FEEL literals of the column's outputValues, in priority order (PRIORITY, OUTPUT ORDER). */
  outputValues?: string[];
}

export interface DecisionRule {
  id: string;
  /** Unary tests, one per input; '' or '-' matches anything. */
  inputEntries: string[];
  /** FEEL expressions, one per output; '' gives null. */
  outputEntries: string[];
}

export interface DecisionTable {
  hitPolicy: HitPolicy;
  /** Only with COLLECT. */
  aggregation?: Aggregation;
  inputs: DecisionInput[];
  outputs: DecisionOutput[];
  rules: DecisionRule[];
}

/** Exactly one of `table` and `literal`. */
export interface Decision {
  id: string;
  name?: string;
  /** Ids of the decisions whose results this one reads (as variables named by those ids). */
  requires: string[];
  table?: DecisionTable;
  literal?: { expression: string; variable?: string };
}

export interface DecisionGraph {
  /** The id of the DMN <definitions>. */
  id: string;
  name?: string;
  decisions: Decision[];
}

/** Runtime shape check for a graph received as a transaction argument; throws naming the bad field. */
export function validateDecisionGraph(raw: unknown, where: string): DecisionGraph {
  const check = new Checker(where);
  const graph = check.object(raw, 'graph') as unknown as DecisionGraph;
  check.nonEmpty(graph.id, 'graph.id');
  check.optionalString(graph.name, 'graph.name');
  if (!Array.isArray(graph.decisions) || graph.decisions.length === 0)
    check.fail('graph.decisions', 'must be a non-empty array');
  const ids = new Set<string>();
  graph.decisions.forEach((decision, i) => {
    const path = `graph.decisions[${i}]`;
    check.object(decision, path);
    check.nonEmpty(decision.id, `${path}.id`);
    if (ids.has(decision.id)) check.fail(`${path}.id`, `repeats the decision id "${decision.id}"`);
    ids.add(decision.id);
    check.optionalString(decision.name, `${path}.name`);
    check.strings(decision.requires, `${path}.requires`, false);
    if ((decision.table === undefined) === (decision.literal === undefined))
      check.fail(path, 'must have exactly one of "table" and "literal"');
    if (decision.table !== undefined) validateTable(check, decision.table, `${path}.table`);
    else {
      check.object(decision.literal, `${path}.literal`);
      check.nonEmpty(decision.literal?.expression, `${path}.literal.expression`);
      check.optionalString(decision.literal?.variable, `${path}.literal.variable`);
    }
  });
  graph.decisions.forEach((decision, i) => {
    decision.requires.forEach((id, j) => {
      if (!ids.has(id))
        check.fail(`graph.decisions[${i}].requires[${j}]`, `names the unknown decision "${id}"`);
    });
  });
  const cycle = requirementCycle(graph.decisions);
  if (cycle) check.fail('graph.decisions', `have a requirement cycle: ${cycle.join(' -> ')}`);
  return graph;
}

function validateTable(check: Checker, table: DecisionTable, path: string): void {
  check.object(table, path);
  if (!HIT_POLICIES.includes(table.hitPolicy))
    check.fail(`${path}.hitPolicy`, `must be one of ${HIT_POLICIES.join(', ')}`);
  if (table.aggregation !== undefined) {
    if (!AGGREGATIONS.includes(table.aggregation))
      check.fail(`${path}.aggregation`, `must be one of ${AGGREGATIONS.join(', ')}`);
    if (table.hitPolicy !== 'COLLECT') check.fail(`${path}.aggregation`, 'is only allowed with COLLECT');
  }
  if (!Array.isArray(table.inputs)) check.fail(`${path}.inputs`, 'must be an array');
  table.inputs.forEach((input, i) => {
    check.object(input, `${path}.inputs[${i}]`);
    check.nonEmpty(input.id, `${path}.inputs[${i}].id`);
    check.optionalString(input.label, `${path}.inputs[${i}].label`);
    check.nonEmpty(input.expression, `${path}.inputs[${i}].expression`);
  });
  if (!Array.isArray(table.outputs) || table.outputs.length === 0)
    check.fail(`${path}.outputs`, 'must be a non-empty array');
  const names = new Set<string>();
  table.outputs.forEach((output, i) => {
    const at = `${path}.outputs[${i}]`;
    check.object(output, at);
    check.nonEmpty(output.id, `${at}.id`);
    check.optionalString(output.label, `${at}.label`);
    if (table.outputs.length > 1) {
      check.nonEmpty(output.name, `${at}.name`);
      if (names.has(output.name)) check.fail(`${at}.name`, `repeats the output name "${output.name}"`);
      names.add(output.name);
    } else if (typeof output.name !== 'string') check.fail(`${at}.name`, 'must be a string');
    if (output.outputValues !== undefined) check.strings(output.outputValues, `${at}.outputValues`, true);
  });
  if (table.aggregation !== undefined && table.outputs.length !== 1)
    check.fail(`${path}.aggregation`, 'needs exactly one output');
  if (!Array.isArray(table.rules)) check.fail(`${path}.rules`, 'must be an array');
  table.rules.forEach((rule, i) => {
    const at = `${path}.rules[${i}]`;
    check.object(rule, at);
    check.nonEmpty(rule.id, `${at}.id`);
    check.strings(rule.inputEntries, `${at}.inputEntries`, false);
    check.strings(rule.outputEntries, `${at}.outputEntries`, false);
    if (rule.inputEntries.length !== table.inputs.length)
      check.fail(`${at}.inputEntries`, `must have ${table.inputs.length} entries, one per input`);
    if (rule.outputEntries.length !== table.outputs.length)
      check.fail(`${at}.outputEntries`, `must have ${table.outputs.length} entries, one per output`);
  });
}

/** The first requirement cycle found (its decision ids, the first repeated last), if any. */
export function requirementCycle(decisions: readonly Decision[]): string[] | undefined {
  const byId = new Map(decisions.map((d) => [d.id, d]));
  const state = new Map<string, 'open' | 'done'>();
  // iterative depth-first search: a long requirement chain must not overflow the stack
  for (const root of decisions) {
    if (state.has(root.id)) continue;
    const path: Array<{ id: string; next: number }> = [{ id: root.id, next: 0 }];
    state.set(root.id, 'open');
    while (path.length > 0) {
      const top = path[path.length - 1];
      const requires = byId.get(top.id)?.requires ?? [];
      if (top.next === requires.length) {
        state.set(top.id, 'done');
        path.pop();
        continue;
      }
      const required = requires[top.next++];
      if (state.get(required) === 'open') {
        const from = path.findIndex((frame) => frame.id === required);
        return [...path.slice(from).map((frame) => frame.id), required];
      }
      if (state.has(required) || !byId.has(required)) continue;
      state.set(required, 'open');
      path.push({ id: required, next: 0 });
    }
  }
  return undefined;
}

class Checker {
  constructor(private readonly where: string) {}

  fail(field: string, problem: string): never {
    throw new Error(`${this.where}: field "${field}" ${problem}`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (!value || typeof value !== 'object' || Array.isArray(value)) this.fail(field, 'must be an object');
    return value as Record<string, unknown>;
  }

  nonEmpty(value: unknown, field: string): void {
    if (typeof value !== 'string' || value === '') this.fail(field, 'must be a non-empty string');
  }

  optionalString(value: unknown, field: string): void {
    if (value !== undefined && typeof value !== 'string') this.fail(field, 'must be a string when given');
  }

  strings(value: unknown, field: string, nonEmpty: boolean): void {
    if (!Array.isArray(value)) this.fail(field, 'must be an array of strings');
    value.forEach((item, i) => {
      if (typeof item !== 'string' || (nonEmpty && item === ''))
        this.fail(`${field}[${i}]`, nonEmpty ? 'must be a non-empty string' : 'must be a string');
    });
  }
}
