// Approval rules: FEEL conditions over application variables and department facts.
// Every peer must reach the same decision, so FEEL's clock is pinned to the transaction time.
import { evaluate } from '@bpmn-io/feelin';
import { Settings } from 'luxon';

export interface RuleFact {
  name: string;
  registry: string;
  /** FEEL expression over the variables giving the registry key. */
  key: string;
}

export interface ApprovalRule {
  id: string;
  facts: RuleFact[];
  approveWhen: string;
  rejectWhen?: string;
}

export type RuleDecision = 'approve' | 'reject' | 'manual';

export interface RuleEvaluation {
  decision: RuleDecision;
  reasons: string[];
}

/** A fact to read: the registry key its expression gave, or null when it gave none. */
export interface FactLookup {
  fact: RuleFact;
  key: string | null;
  /** The key expression failed to evaluate: the rule cannot decide on its own. */
  failed?: boolean;
}

export function validateRule(raw: unknown, where: string): ApprovalRule {
  const rule = raw as ApprovalRule;
  if (!rule || typeof rule !== 'object') throw new Error(`${where}: field "rule" must be an object`);
  if (typeof rule.id !== 'string' || rule.id === '')
    throw new Error(`${where}: field "rule.id" must be a non-empty string`);
  if (typeof rule.approveWhen !== 'string' || rule.approveWhen === '') {
    throw new Error(`${where}: field "rule.approveWhen" must be a non-empty FEEL expression`);
  }
  if (rule.rejectWhen !== undefined && (typeof rule.rejectWhen !== 'string' || rule.rejectWhen === '')) {
    throw new Error(`${where}: field "rule.rejectWhen" must be a non-empty FEEL expression when given`);
  }
  if (!Array.isArray(rule.facts)) throw new Error(`${where}: field "rule.facts" must be an array`);
  rule.facts.forEach((f, i) => {
    for (const field of ['name', 'registry', 'key'] as const) {
      if (!f || typeof f[field] !== 'string' || f[field] === '') {
        throw new Error(`${where}: field "rule.facts[${i}].${field}" must be a non-empty string`);
      }
    }
  });
  return rule;
}

/** Runs `fn` with luxon's clock (which FEEL now()/today() read) fixed at `nowMillis`, in UTC. */
export function atTransactionTime<T>(nowMillis: number, fn: () => T): T {
  const savedNow = Settings.now;
  const savedZone = Settings.defaultZone;
  Settings.now = () => nowMillis;
  Settings.defaultZone = 'utc';
  try {
    return fn(); // synchronous, so no other transaction can observe the pinned clock
  } finally {
    Settings.now = savedNow;
    Settings.defaultZone = savedZone;
  }
}

/** Evaluates each fact's key expression; a FEEL error leaves the key null with a reason. */
export function factLookups(
  rule: ApprovalRule,
  variables: Record<string, unknown>,
  nowMillis: number,
  reasons: string[],
) {
  return atTransactionTime(nowMillis, () =>
    rule.facts.map((fact): FactLookup => {
      try {
        const { value } = evaluate(fact.key, variables);
        if (typeof value === 'string' && value !== '' && !value.includes('\u0000'))
          return { fact, key: value };
        if (typeof value === 'number' && Number.isFinite(value)) return { fact, key: String(value) };
        reasons.push(
          `fact ${fact.name}: key expression "${fact.key}" gave no usable key (${describe(value)})`,
        );
      } catch (err) {
        reasons.push(`fact ${fact.name}: FEEL error in key expression "${fact.key}": ${message(err)}`);
        return { fact, key: null, failed: true };
      }
      return { fact, key: null };
    }),
  );
}

/**
 * Decides: reject when rejectWhen is true, else approve when approveWhen is true, else manual.
 * Never throws for bad expressions or missing facts: those make the decision manual.
 */
export function decide(
  rule: ApprovalRule,
  context: Record<string, unknown>,
  nowMillis: number,
  reasons: string[],
): RuleEvaluation {
  return atTransactionTime(nowMillis, () => {
    const test = (label: 'rejectWhen' | 'approveWhen', expression: string): boolean | 'error' => {
      try {
        return evaluate(expression, context).value === true;
      } catch (err) {
        reasons.push(`FEEL error in ${label} "${expression}": ${message(err)}`);
        return 'error';
      }
    };
    const rejected = rule.rejectWhen === undefined ? false : test('rejectWhen', rule.rejectWhen);
    if (rejected === 'error') return { decision: 'manual', reasons };
    if (rejected) return { decision: 'reject', reasons: [...reasons, `rejectWhen held: ${rule.rejectWhen}`] };
    const approved = test('approveWhen', rule.approveWhen);
    if (approved === 'error') return { decision: 'manual', reasons };
    if (approved)
      return { decision: 'approve', reasons: [...reasons, `approveWhen held: ${rule.approveWhen}`] };
    // Tell the clerk what stood in the way: the parts of approveWhen that did not hold.
    // A single part is the whole expression, just found false: no need to evaluate it again.
    const parts = conjuncts(rule.approveWhen);
    const unmet = parts.length === 1 ? parts : parts.filter((part) => test('approveWhen', part) !== true);
    const why = unmet.length > 0 ? unmet.map((part) => `not met: ${part}`) : ['neither condition held'];
    return { decision: 'manual', reasons: [...reasons, ...why] };
  });
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'object' ? 'a structure' : `${typeof value} ${String(value)}`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The parts of a FEEL expression joined by `and` at its top level (outside brackets and strings). */
function conjuncts(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '"' && expression[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (
      depth === 0 &&
      /\sand\s/.test(expression.slice(i - 1, i + 4)) &&
      expression.slice(i, i + 3) === 'and'
    ) {
      parts.push(expression.slice(start, i).trim());
      start = i + 3;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}
