// Without an end event an application can never finish.
import { type CompileContext, endEvents } from '../context.ts';
import type { Diagnostic } from '../model.ts';

export function noEndEvent(ctx: CompileContext): Diagnostic[] {
  if (endEvents(ctx).length > 0) return [];
  return [ctx.diagnostic('no-end-event', `Process "${ctx.process.id}" has no end event`, ctx.process)];
}
