// Anything this version cannot run is named precisely, so a designer knows what to remove:
// element types, and event triggers where the engine cannot honour them.
import { type CompileContext, is } from '../context.ts';
import { described, refer } from '../diagnostic.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { type TriggerType, triggerTypeOf } from '../triggers.ts';

const SUPPORTED_NODES = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:IntermediateCatchEvent',
  'bpmn:IntermediateThrowEvent',
  'bpmn:BoundaryEvent',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:SendTask',
  'bpmn:ReceiveTask',
  'bpmn:ScriptTask',
  'bpmn:BusinessRuleTask',
  'bpmn:ManualTask',
  'bpmn:Task',
  'bpmn:SubProcess',
  'bpmn:CallActivity',
  'bpmn:ExclusiveGateway',
  'bpmn:InclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:EventBasedGateway',
]);
/** Artifacts carry no execution semantics; groups are as harmless as annotations. */
const SUPPORTED_ARTIFACTS = new Set(['bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group']);

/** Which triggers each kind of event may have, by position. */
const TRIGGERS: Record<string, readonly TriggerType[]> = {
  processStart: ['none', 'message', 'timer'],
  // wrong-kind starts of sub-processes are sub-process-start-invalid's business
  subProcessStart: ['none', 'message', 'timer', 'error', 'escalation', 'signal'],
  end: ['none', 'terminate', 'error', 'escalation', 'message', 'signal', 'compensation'],
  catch: ['timer', 'message', 'signal', 'link'],
  throw: ['none', 'escalation', 'message', 'signal', 'link', 'compensation'],
  boundary: ['timer', 'message', 'error', 'escalation', 'signal', 'compensation'],
};

export function unsupportedElement(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const report = (element: ModdleElement, message: string) =>
    found.push(ctx.diagnostic('unsupported-element', message, element));
  for (const node of ctx.nodes) {
    if (!SUPPORTED_NODES.has(node.$type)) {
      report(node, `${refer(node)} is a ${node.$type}, which this version does not support`);
      continue;
    }
    const allowed = allowedTriggers(ctx, node);
    const trigger = triggerTypeOf(node);
    if (allowed && !allowed.includes(trigger)) {
      const what =
        trigger === 'multiple'
          ? 'several event definitions (a multiple event)'
          : trigger === 'none'
            ? 'no event definition'
            : `a ${trigger} trigger`;
      report(node, `${described(node)} has ${what}; here only ${allowed.join(', ')} are supported`);
    }
  }
  for (const scope of ctx.scopes) {
    for (const artifact of scope.element.artifacts ?? []) {
      if (!SUPPORTED_ARTIFACTS.has(artifact.$type))
        report(artifact, `${refer(artifact)} is a ${artifact.$type}, which this version does not support`);
    }
  }
  return found;
}

function allowedTriggers(ctx: CompileContext, node: ModdleElement): readonly TriggerType[] | undefined {
  switch (node.$type) {
    case 'bpmn:StartEvent':
      // a scope is the process or a sub-process (embedded or event sub-process)
      return is(ctx.scopeOf.get(node.id as string), 'bpmn:SubProcess')
        ? TRIGGERS.subProcessStart
        : TRIGGERS.processStart;
    case 'bpmn:EndEvent':
      return TRIGGERS.end;
    case 'bpmn:IntermediateCatchEvent':
      return TRIGGERS.catch;
    case 'bpmn:IntermediateThrowEvent':
      return TRIGGERS.throw;
    case 'bpmn:BoundaryEvent':
      return TRIGGERS.boundary;
    default:
      return undefined;
  }
}
