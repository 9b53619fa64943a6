// A sequence flow must connect two flow elements of the process. moddle drops references it
// cannot resolve, so the missing id comes from the unresolved references it reported.
import type { CompileContext } from '../context.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';

export function flowTargetMissing(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const missing = new Map<ModdleElement, Map<string, string>>();
  for (const { element, property, id } of ctx.unresolved) {
    const byProperty = missing.get(element) ?? new Map<string, string>();
    byProperty.set(property.split(':').pop() ?? property, id);
    missing.set(element, byProperty);
  }
  for (const flow of ctx.flows) {
    for (const [property, verb] of [
      ['sourceRef', 'starts at'],
      ['targetRef', 'targets'],
    ] as const) {
      const message = problem(ctx, flow, property, verb, missing.get(flow)?.get(property));
      if (message) found.push(ctx.diagnostic('flow-target-missing', message, flow));
    }
  }
  return found;
}

function problem(
  ctx: CompileContext,
  flow: ModdleElement,
  property: string,
  verb: string,
  missing?: string,
): string | undefined {
  const end: ModdleElement | undefined = flow[property];
  const what = `Sequence flow "${flow.id}" ${verb}`;
  if (end) {
    if (ctx.nodeById.get(end.id as string) !== end)
      return `${what} "${end.id}", which is not a flow element of this process`;
    // a sequence flow never crosses a sub-process boundary: tokens enter at its start event
    const scope = ctx.scopeOf.get(flow.id as string);
    return ctx.scopeOf.get(end.id as string) === scope
      ? undefined
      : `${what} "${end.id}", which sits in another (sub-)process than the flow; a sequence flow cannot cross a sub-process boundary`;
  }
  if (missing === undefined) return `${what} nothing: its ${property} attribute is missing`;
  // The id is in the text but moddle dropped its element (unknown type, duplicate id): already reported.
  if (ctx.locator.element(missing)) return undefined;
  return `${what} "${missing}", which does not exist`;
}
