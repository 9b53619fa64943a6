// Timers are checked now so a typo fails the deployment, not the timer months later: exactly
// one of timeDate/timeDuration/timeCycle, and ISO 8601 literals that parse. User-task due
// dates given literally must be ISO date-times too. (Expressions are feel-syntax's business.)
import type { CompileContext } from '../context.ts';
import { described } from '../diagnostic.ts';
import { dueDateOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';
import { isDateTime, isExpression, timerLiteralProblem } from '../timers.ts';
import { eventDefinition, timerOf, triggerTypeOf } from '../triggers.ts';

const RULE = 'timer-invalid';

export function timerInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes) {
    const due = dueDateOf(node);
    if (due && !isExpression(due.raw) && !isDateTime(due.raw.trim())) {
      const message = `The due date "${due.raw.trim()}" of ${described(node).toLowerCase()} is not an ISO 8601 date-time with a zone, such as 2026-12-01T10:00:00Z`;
      found.push(ctx.diagnostic(RULE, message, node));
    }
    if (triggerTypeOf(node) !== 'timer' || !eventDefinition(node)) continue;
    const timer = timerOf(node);
    if (!timer) {
      const message = `${described(node)} needs exactly one of timeDate, timeDuration or timeCycle`;
      found.push(ctx.diagnostic(RULE, message, node));
      continue;
    }
    if (isExpression(timer.raw)) continue;
    const problem = timerLiteralProblem(timer.kind, timer.raw);
    if (problem) {
      const shown = timer.raw.trim().slice(0, 80);
      found.push(
        ctx.diagnostic(
          RULE,
          `The timer ${timer.kind} "${shown}" of ${described(node).toLowerCase()} ${problem}`,
          node,
        ),
      );
    }
  }
  return found;
}
