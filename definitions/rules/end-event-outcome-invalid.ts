// govflow:outcome tells the applicant how the application ended: completed or rejected.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

export const OUTCOMES = ['completed', 'rejected'] as const;

export function endEventOutcomeInvalid(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter(
      (node) =>
        is(node, 'bpmn:EndEvent') &&
        node.outcome !== undefined &&
        !(OUTCOMES as readonly string[]).includes(node.outcome),
    )
    .map((node) =>
      ctx.diagnostic(
        'end-event-outcome-invalid',
        `End event ${refer(node)} has govflow:outcome="${node.outcome}"; use ${OUTCOMES.join(' or ')}`,
        node,
      ),
    );
}
