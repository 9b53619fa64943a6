// One none start event per process: an application is submitted through exactly one form.
// Message and timer start events may stand beside it.
import { type CompileContext, noneStartEvents } from '../context.ts';
import { refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

export function multipleStartEvents(ctx: CompileContext): Diagnostic[] {
  const [first, ...others] = noneStartEvents(ctx);
  return others.map((start) =>
    ctx.diagnostic(
      'multiple-start-events',
      `Start event ${refer(start)} is a second none start event; the process already starts at ${refer(first)}`,
      start,
    ),
  );
}
