// FEEL evaluation inside the workflow. feelin's now()/today() read the clock, which in a workflow
// is Temporal's deterministic workflow time, so replays see the same value.
import { evaluate } from '@bpmn-io/feelin';
import type { Variables } from './state.ts';

export class FeelError extends Error {}

export function evaluateFeel(expression: string, context: Variables): unknown {
  let result: { value: unknown };
  try {
    result = evaluate(expression, context);
  } catch (err) {
    throw new FeelError(`FEEL expression \`${expression}\` failed: ${(err as Error).message}`);
  }
  return toJson(result.value);
}

export function evaluateCondition(expression: string, context: Variables): boolean {
  const value = evaluateFeel(expression, context);
  if (value === null || value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new FeelError(`condition \`${expression}\` gave ${JSON.stringify(value)}, not a boolean`);
  }
  return value;
}

/** Dates, times and durations come back as luxon objects; variables must stay plain JSON. */
function toJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toJson);
  const maybeDate = value as { toISO?: () => string };
  if (typeof maybeDate.toISO === 'function') return maybeDate.toISO();
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
}
