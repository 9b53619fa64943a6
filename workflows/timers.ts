// ISO 8601 timers as BPMN uses them: a date, a duration (P1DT2H), or a cycle (R3/PT10M).
// Pure functions of their input and `now`, so they are safe in workflow code.
import type { TimerDefinition } from '../definitions/model.ts';

const DURATION =
  /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNIT_MS = [365 * 86_400_000, 30 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000];

export class TimerError extends Error {}

/** Milliseconds of an ISO 8601 duration; years and months count as 365 and 30 days. */
export function durationMs(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T'))
    throw new TimerError(`"${text}" is not an ISO 8601 duration`);
  const ms = match.slice(2).reduce((sum, part, i) => sum + (part ? Number(part) * UNIT_MS[i] : 0), 0);
  return match[1] ? -ms : ms;
}

export interface Cycle {
  /** Infinity for `R/...`. */
  repetitions: number;
  intervalMs: number;
  /** Epoch ms of the first firing when the cycle names a start (`R3/2026-01-01T00:00:00Z/PT1H`). */
  startAt?: number;
}

export function parseCycle(text: string): Cycle {
  const parts = text.trim().split('/');
  const reps = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!reps || parts.length < 2 || parts.length > 3)
    throw new TimerError(`"${text}" is not an ISO 8601 cycle like R3/PT10M`);
  const repetitions = reps[1] === '' ? Number.POSITIVE_INFINITY : Number(reps[1]);
  if (parts.length === 2) return { repetitions, intervalMs: durationMs(parts[1]) };
  return { repetitions, startAt: dateMs(parts[1]), intervalMs: durationMs(parts[2]) };
}

export function dateMs(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new TimerError(`"${text}" is not an ISO 8601 date-time`);
  return ms;
}

/**
 * Delays (ms from now) at which a timer fires: one for a date or duration, one per repetition of a
 * cycle (capped by `limit` for unbounded cycles, which callers re-arm).
 */
export function firingDelays(
  kind: TimerDefinition['kind'],
  value: string,
  now: number,
  limit = 1000,
): number[] {
  if (kind === 'date') return [Math.max(0, dateMs(value) - now)];
  if (kind === 'duration') return [Math.max(0, durationMs(value))];
  const cycle = parseCycle(value);
  const first = cycle.startAt !== undefined ? Math.max(0, cycle.startAt - now) : cycle.intervalMs;
  const count = Math.min(cycle.repetitions, limit);
  return Array.from({ length: count }, (_, i) => first + i * cycle.intervalMs);
}
