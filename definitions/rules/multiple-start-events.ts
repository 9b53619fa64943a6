// One start event per process: an application is submitted through exactly one form.
import { type CompileContext, startEvents } from '../context.ts';
import { refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

export function multipleStartEvents(ctx: CompileContext): Diagnostic[] {
  const [first, ...others] = startEvents(ctx);
  return others.map((start) =>
    ctx.diagnostic(
      'multiple-start-events',
      `Start event ${refer(start)} is a second start event; the process already starts at ${refer(first)}`,
      start,
    ),
  );
}
