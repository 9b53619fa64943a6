// Timer values: Camunda writes either a FEEL expression (`=date(x)`) or an ISO 8601 literal
// (`PT5M`, `R3/PT10M`, `2026-12-01T10:00:00Z`). The model always carries FEEL, so a literal
// becomes a FEEL string; literals are checked here so a typo fails the deployment.
import { stripFeel } from './feel.ts';

export type TimerKind = 'date' | 'duration' | 'cycle';

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const CYCLE = /^R(\d*)\/(.+)$/;

export const isExpression = (raw: string): boolean => raw.trim().startsWith('=');

/** The FEEL the model carries: the expression without `=`, or the literal as a FEEL string. */
export function timerFeel(raw: string): string {
  return isExpression(raw) ? stripFeel(raw) : JSON.stringify(raw.trim());
}

/** Why a literal timer value is not valid ISO 8601 for its kind, or undefined when it is. */
export function timerLiteralProblem(kind: TimerKind, raw: string): string | undefined {
  const literal = raw.trim();
  if (!literal) return 'is empty';
  if (kind === 'duration')
    return isDuration(literal) ? undefined : 'is not an ISO 8601 duration such as PT5M or P3D';
  if (kind === 'date')
    return isDateTime(literal)
      ? undefined
      : 'is not an ISO 8601 date-time with a zone, such as 2026-12-01T10:00:00Z';
  const cycle = CYCLE.exec(literal);
  if (cycle && isDuration(cycle[2])) return undefined;
  const cron = literal.split(/\s+/).length >= 5 ? ' (cron expressions are not supported)' : '';
  return `is not an ISO 8601 repeating interval such as R3/PT10M or R/P1D${cron}`;
}

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

export function isDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [, , month, day, hour, minute] = match.map(Number);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour <= 23 &&
    minute <= 59 &&
    !Number.isNaN(Date.parse(text))
  );
}
