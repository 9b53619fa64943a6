// An embedded sub-process starts at exactly one none start event when a token enters it; an
// event sub-process starts at exactly one start event with a trigger while its parent runs.
import { type CompileContext, hasEventDefinitions, is, isEventSubProcess } from '../context.ts';
import { described, refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

const RULE = 'sub-process-start-invalid';

export function subProcessStartInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const scope of ctx.scopes.slice(1)) {
    const owner = scope.element;
    const starts = scope.nodes.filter((n) => is(n, 'bpmn:StartEvent'));
    const eventDriven = isEventSubProcess(owner);
    const kind = eventDriven ? 'event sub-process' : 'sub-process';
    if (starts.length !== 1) {
      const what = eventDriven
        ? 'one start event with a trigger (message, timer, error, ...)'
        : 'one none start event';
      const has = starts.length === 0 ? 'none' : `${starts.length}`;
      found.push(ctx.diagnostic(RULE, `${described(owner)} needs exactly ${what}; it has ${has}`, owner));
    }
    for (const start of starts) {
      if (eventDriven && !hasEventDefinitions(start)) {
        const message = `Start event ${refer(start)} of ${kind} ${refer(owner)} has no trigger; an event sub-process starts on a message, timer, error, escalation or signal`;
        found.push(ctx.diagnostic(RULE, message, start));
      } else if (!eventDriven && hasEventDefinitions(start)) {
        const message = `Start event ${refer(start)} of ${kind} ${refer(owner)} has a trigger; an embedded sub-process starts at a none start event (use an event sub-process or a boundary event)`;
        found.push(ctx.diagnostic(RULE, message, start));
      }
    }
  }
  return found;
}
