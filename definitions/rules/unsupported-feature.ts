// Features of supported elements that this version cannot honour. Errors where ignoring them
// would change behaviour; warnings for Camunda extensions we safely ignore.
import { type CompileContext, is } from '../context.ts';
import { described, refer } from '../diagnostic.ts';
import { candidateGroupsOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

const IGNORED_ZEEBE = new Map([
  ['zeebe:TaskHeaders', 'task headers'],
  ['zeebe:TaskSchedule', 'due and follow-up dates'],
  ['zeebe:FormDefinition', 'Camunda forms (use govflow:formField)'],
  ['zeebe:ExecutionListeners', 'execution listeners'],
  ['zeebe:TaskListeners', 'task listeners'],
  ['zeebe:PriorityDefinition', 'task priority'],
]);

export function unsupportedFeature(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes) {
    if (node.loopCharacteristics) {
      const kind =
        node.loopCharacteristics.$type === 'bpmn:StandardLoopCharacteristics' ? 'a loop' : 'multi-instance';
      found.push(
        ctx.diagnostic(
          'unsupported-feature',
          `${described(node)} is ${kind}, which this version does not support`,
          node,
        ),
      );
    }
    if (is(node, 'bpmn:UserTask') && candidateGroupsOf(node).raw?.trim().startsWith('=')) {
      found.push(
        ctx.diagnostic(
          'unsupported-feature',
          `User task ${refer(node)} computes its candidate groups with an expression; list the groups instead`,
          node,
        ),
      );
    }
    for (const extension of node.extensionElements?.values ?? []) {
      const what = IGNORED_ZEEBE.get(extension?.$type);
      if (what) {
        found.push(
          ctx.diagnostic(
            'unsupported-feature',
            `${described(node)} uses ${what}, which this version ignores`,
            node,
            { severity: 'warning' },
          ),
        );
      }
    }
  }
  return found;
}
