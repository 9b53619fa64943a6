// A process needs one place where an application enters it: a none start event (submitted
// through the API) or a message or timer start event.
import { type CompileContext, startEvents } from '../context.ts';
import type { Diagnostic } from '../model.ts';

export function noStartEvent(ctx: CompileContext): Diagnostic[] {
  if (startEvents(ctx).length > 0) return [];
  return [ctx.diagnostic('no-start-event', `Process "${ctx.process.id}" has no start event`, ctx.process)];
}
