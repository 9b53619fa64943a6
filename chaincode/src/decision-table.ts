// Evaluates a DMN decision the way Camunda 8 does (DMN 1.3): required decisions first, then a
// decision table under its hit policy or a literal expression. Every peer must reach the same
// result: it is synchronous and reads no clock of its own; callers wrap it in atTransactionTime
// so FEEL's now() and today() are the transaction time.
import { evaluate, unaryTest } from '@bpmn-io/feelin';
import type { Decision, DecisionGraph, DecisionRule, DecisionTable } from './decision.ts';

export interface EvaluatedDecision {
  decisionId: string;
  output: unknown;
  /** Ids of the rules whose input entries all matched (for FIRST: the first of them), in rule order. */
  matchedRules: string[];
}

export interface DecisionResult extends EvaluatedDecision {
  /** Required decisions first, the called one last. */
  evaluated: EvaluatedDecision[];
}

export class DecisionError extends Error {
  constructor(
    message: string,
    readonly decisionId: string,
    readonly ruleId?: string,
  ) {
    super(message);
    this.name = 'DecisionError';
  }
}

export function evaluateDecision(
  graph: DecisionGraph,
  decisionId: string,
  variables: Record<string, unknown>,
): DecisionResult {
  const byId = new Map(graph.decisions.map((d) => [d.id, d]));
  const done = new Map<string, EvaluatedDecision>();
  const evaluated: EvaluatedDecision[] = [];
  const open = new Set<string>();

  const run = (id: string, requiredBy?: string): EvaluatedDecision => {
    const known = done.get(id);
    if (known) return known;
    const decision = byId.get(id);
    if (!decision) {
      const where = requiredBy ? `required by decision "${requiredBy}"` : `in decision graph "${graph.id}"`;
      throw new DecisionError(`There is no decision "${id}" ${where}`, requiredBy ?? id);
    }
    if (open.has(id)) {
      const through = requiredBy === id ? '' : ` through "${requiredBy}"`;
      throw new DecisionError(`Decision "${id}" requires itself${through}`, id);
    }
    open.add(id);
    // plain data properties: a decision id like "__proto__" must not reach the prototype
    const required = decision.requires.map((r) => [r, run(r, id).output] as const);
    const context = { ...variables, ...Object.fromEntries(required) };
    const result = decide(decision, context);
    open.delete(id);
    done.set(id, result);
    evaluated.push(result);
    return result;
  };

  const result = run(decisionId);
  return { ...result, evaluated };
}

function decide(decision: Decision, context: Record<string, unknown>): EvaluatedDecision {
  if (decision.literal) {
    const output = feel(decision, 'literal expression', decision.literal.expression, context);
    return { decisionId: decision.id, output, matchedRules: [] };
  }
  if (!decision.table)
    throw new DecisionError(`Decision "${decision.id}" has no decision logic`, decision.id);
  return decideTable(decision, decision.table, context);
}

function decideTable(
  decision: Decision,
  table: DecisionTable,
  context: Record<string, unknown>,
): EvaluatedDecision {
  // each input entry sees the variables plus its column's value as `?`
  const entryContexts = table.inputs.map((input) => {
    const label = input.label ? `input "${input.label}"` : `input ${input.id}`;
    return { ...context, '?': feel(decision, label, input.expression, context) };
  });
  // Camunda tests every rule, even under FIRST: an error in a later rule is not hidden
  const matched = table.rules.filter((rule) => matches(decision, rule, entryContexts));
  const selected = table.hitPolicy === 'FIRST' ? matched.slice(0, 1) : matched;
  const outputs = selected.map((rule) => ruleOutput(decision, table, rule, context));
  const matchedRules = selected.map((rule) => rule.id);
  const done = (output: unknown): EvaluatedDecision => ({ decisionId: decision.id, output, matchedRules });

  if (table.hitPolicy === 'COLLECT' && table.aggregation === 'COUNT') return done(selected.length);
  if (selected.length === 0) return done(null);
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (selected.length > 1) {
        throw new DecisionError(
          `Decision "${decision.id}" has hit policy UNIQUE but ${selected.length} rules match: ${quoted(matchedRules)}`,
          decision.id,
        );
      }
      return done(outputs[0]);
    case 'FIRST':
      return done(outputs[0]);
    case 'ANY': {
      const differing = outputs.findIndex((output) => !sameValue(output, outputs[0]));
      if (differing !== -1) {
        throw new DecisionError(
          `Decision "${decision.id}" has hit policy ANY but the matching rules ${quoted([matchedRules[0], matchedRules[differing]])} give different outputs`,
          decision.id,
          matchedRules[differing],
        );
      }
      return done(outputs[0]);
    }
    case 'PRIORITY':
      return done(byPriority(decision, table, selected, outputs)[0]);
    case 'OUTPUT ORDER':
      return done(byPriority(decision, table, selected, outputs));
    case 'RULE ORDER':
      return done(outputs);
    case 'COLLECT':
      return done(table.aggregation ? aggregate(decision, table.aggregation, selected, outputs) : outputs);
    default:
      throw new DecisionError(
        `Decision "${decision.id}" has the unknown hit policy "${String(table.hitPolicy)}"`,
        decision.id,
      );
  }
}

function matches(decision: Decision, rule: DecisionRule, entryContexts: Record<string, unknown>[]): boolean {
  return rule.inputEntries.every((entry, column) => {
    const test = entry.trim();
    if (test === '' || test === '-') return true;
    const where = `rule "${rule.id}", input entry ${column + 1}`;
    try {
      return unaryTest(test, entryContexts[column]).value === true;
    } catch (error) {
      throw feelError(decision, where, test, error, rule.id);
    }
  });
}

/** One output column: its value; several: a context of the outputs by name. */
function ruleOutput(
  decision: Decision,
  table: DecisionTable,
  rule: DecisionRule,
  context: Record<string, unknown>,
): unknown {
  const values = rule.outputEntries.map((entry, column) => {
    const expression = entry.trim();
    if (expression === '') return null;
    return feel(decision, `rule "${rule.id}", output entry ${column + 1}`, expression, context, rule.id);
  });
  if (table.outputs.length === 1) return values[0];
  return Object.fromEntries(table.outputs.map((output, column) => [output.name, values[column]]));
}

/**
 * Sorts matches by the position of their output values in each output's outputValues (the first
 * output decides first); a value not listed ranks after every listed one. The sort is stable, so
 * equal priorities keep rule order.
 */
function byPriority(
  decision: Decision,
  table: DecisionTable,
  rules: DecisionRule[],
  outputs: unknown[],
): unknown[] {
  const priorities = table.outputs.map((output) =>
    (output.outputValues ?? []).map((literal) =>
      feel(decision, `outputValues of output "${output.name || output.id}"`, literal, {}),
    ),
  );
  const rank = (index: number): number[] =>
    table.outputs.map((output, column) => {
      const value = table.outputs.length === 1 ? outputs[index] : (outputs[index] as any)[output.name];
      const position = priorities[column].findIndex((listed) => sameValue(listed, value));
      return position === -1 ? priorities[column].length : position;
    });
  const ranks = rules.map((_, index) => rank(index));
  const order = rules.map((_, index) => index);
  order.sort((a, b) => {
    for (let column = 0; column < table.outputs.length; column++) {
      const difference = ranks[a][column] - ranks[b][column];
      if (difference !== 0) return difference;
    }
    return a - b;
  });
  return order.map((index) => outputs[index]);
}

function aggregate(
  decision: Decision,
  aggregation: 'SUM' | 'MIN' | 'MAX' | 'COUNT',
  rules: DecisionRule[],
  outputs: unknown[],
): number {
  const numbers = outputs.map((value, index) => {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw new DecisionError(
      `Decision "${decision.id}" aggregates with ${aggregation} but rule "${rules[index].id}" gives ${describe(value)}, not a number`,
      decision.id,
      rules[index].id,
    );
  });
  // no spread into Math.min/max: a table may have more matches than a call takes arguments
  if (aggregation === 'MIN') return numbers.reduce((min, n) => Math.min(min, n));
  if (aggregation === 'MAX') return numbers.reduce((max, n) => Math.max(max, n));
  if (aggregation === 'COUNT') return numbers.length;
  return numbers.reduce((sum, n) => sum + n, 0);
}

function feel(
  decision: Decision,
  where: string,
  expression: string,
  context: Record<string, unknown>,
  ruleId?: string,
): unknown {
  try {
    return evaluate(expression, context).value ?? null;
  } catch (error) {
    throw feelError(decision, where, expression, error, ruleId);
  }
}

function feelError(
  decision: Decision,
  where: string,
  expression: string,
  error: unknown,
  ruleId?: string,
): DecisionError {
  const detail = error instanceof Error ? error.message : String(error);
  return new DecisionError(
    `Decision "${decision.id}", ${where}: FEEL error in "${expression}": ${detail}`,
    decision.id,
    ruleId,
  );
}

/** FEEL equality for what outputs hold: scalars, lists, contexts, and luxon dates and durations. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameValue(item, b[i]))
    );
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  if (typeof left.equals === 'function') return (left.equals as (other: unknown) => boolean)(right);
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.hasOwn(right, key) && sameValue(left[key], right[key]))
  );
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `the string "${value}"`;
  return typeof value === 'object' ? 'a structure' : `${typeof value} ${String(value)}`;
}

function quoted(ids: string[]): string {
  return ids.map((id) => `"${id}"`).join(', ');
}
