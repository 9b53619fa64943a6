// One flow node -> one FlowElement of the process model, by kind.
import { buildTrigger } from './build-trigger.ts';
import { camundaFormFieldsOf } from './camunda-form-refs.ts';
import { type CompileContext, is } from './context.ts';
import { declaredFields } from './declared-fields.ts';
import { compact, type Draft, nameOf } from './draft.ts';
import {
  calledDecisionOf,
  calledElementOf,
  candidateGroupsOf,
  DEFAULT_RETRIES,
  decisionsOf,
  dueDateOf,
  expressionBody,
  extensionOf,
  headersOf,
  ioMappingsOf,
  multiInstanceOf,
  scriptOf,
} from './extensions.ts';
import { stripFeel } from './feel.ts';
import type { ModdleElement } from './moddle-types.ts';
import { isJobWorkerEvent, messageNameOf } from './triggers.ts';

export function buildElement(ctx: CompileContext, node: ModdleElement): Draft {
  const base = baseOf(ctx, node);
  switch (node.$type) {
    case 'bpmn:StartEvent':
      return {
        ...base,
        kind: 'startEvent',
        trigger: buildTrigger(node),
        interrupting: node.isInterrupting !== false,
        form: formOf(ctx, node),
      };
    case 'bpmn:EndEvent':
      return {
        ...base,
        kind: 'endEvent',
        outcome: node.outcome === 'rejected' ? 'rejected' : 'completed',
        ...throwOf(node),
      };
    case 'bpmn:IntermediateCatchEvent':
      return { ...base, kind: 'intermediateCatchEvent', trigger: buildTrigger(node) };
    case 'bpmn:IntermediateThrowEvent':
      return { ...base, kind: 'intermediateThrowEvent', ...throwOf(node) };
    case 'bpmn:BoundaryEvent':
      return compact({
        ...base,
        kind: 'boundaryEvent',
        attachedTo: node.attachedToRef.id,
        interrupting: node.cancelActivity !== false,
        trigger: buildTrigger(node),
        // a compensation boundary event names its handler by an association (compensation.ts)
        compensationHandler: ctx.compensation.handlerOf.get(node.id as string),
      });
    case 'bpmn:UserTask':
      return userTask(ctx, node, base);
    case 'bpmn:ServiceTask':
      return compact({ ...base, ...jobOf(node), kind: 'serviceTask', rule: ruleOf(node) });
    case 'bpmn:SendTask':
      return { ...base, ...jobOf(node), kind: 'sendTask' };
    case 'bpmn:BusinessRuleTask':
      // a job-worker business rule task (zeebe:taskDefinition, no approval rule) runs like a service task
      if (extensionOf(node, 'zeebe:CalledDecision'))
        return { ...base, kind: 'businessRuleTask', decision: calledDecisionOf(node) };
      if (!extensionOf(node, 'govflow:ApprovalRule')) return { ...base, ...jobOf(node), kind: 'serviceTask' };
      return { ...base, kind: 'businessRuleTask', rule: ruleOf(node) };
    case 'bpmn:ScriptTask': {
      const { expression, resultVariable } = scriptOf(node);
      return { ...base, kind: 'scriptTask', expression, resultVariable };
    }
    case 'bpmn:ReceiveTask':
      return { ...base, kind: 'receiveTask', trigger: buildTrigger(node) };
    case 'bpmn:ManualTask':
      return { ...base, kind: 'manualTask' };
    case 'bpmn:Task':
      return { ...base, kind: 'task' };
    case 'bpmn:SubProcess':
      return { ...base, kind: 'subProcess', triggeredByEvent: node.triggeredByEvent === true };
    case 'bpmn:CallActivity': {
      const called = calledElementOf(node);
      return {
        ...base,
        kind: 'callActivity',
        calledProcessKey: called.processId,
        propagateAllChildVariables: called.propagate,
      };
    }
    case 'bpmn:ExclusiveGateway':
      return compact({ ...base, kind: 'exclusiveGateway', defaultFlow: node.default?.id });
    case 'bpmn:InclusiveGateway':
      return compact({ ...base, kind: 'inclusiveGateway', defaultFlow: node.default?.id });
    case 'bpmn:ParallelGateway':
      return { ...base, kind: 'parallelGateway' };
    case 'bpmn:EventBasedGateway':
      return { ...base, kind: 'eventBasedGateway' };
    default:
      throw new Error(`buildElement reached unsupported ${node.$type} "${node.id}" after validation`);
  }
}

function baseOf(ctx: CompileContext, node: ModdleElement): Draft {
  const id = node.id as string;
  const mappings = ioMappingsOf(node);
  const scope = ctx.scopeOf.get(id);
  const multi = multiInstanceOf(node);
  return compact({
    id,
    name: nameOf(node),
    incoming: (ctx.incoming.get(id) ?? []).map((f) => f.id as string),
    outgoing: (ctx.outgoing.get(id) ?? []).map((f) => f.id as string),
    parent: scope && scope !== ctx.process ? scope.id : undefined,
    line: ctx.locator.element(id)?.line,
    inputs: mappings.filter((m) => m.direction === 'input').map(({ source, target }) => ({ source, target })),
    outputs: mappings
      .filter((m) => m.direction === 'output')
      .map(({ source, target }) => ({ source, target })),
    boundaryEvents: (ctx.boundaries.get(id) ?? []).map((b) => b.id as string),
    // every field but the moddle element it was read from
    multiInstance: multi ? compact({ ...multi, loop: undefined }) : undefined,
    // an activity associated with a compensation boundary event is its handler, marked or not
    isForCompensation: node.isForCompensation === true || ctx.compensation.handlers.has(id),
  });
}

function userTask(ctx: CompileContext, node: ModdleElement, base: Draft): Draft {
  const { groups, users, assignee } = candidateGroupsOf(node);
  const computed = assignee?.startsWith('=');
  return compact({
    ...base,
    kind: 'userTask',
    candidateGroups: groups,
    candidateUsers: users,
    assignee: computed ? undefined : assignee,
    assigneeExpression: computed ? stripFeel(assignee) : undefined,
    dueDate: dueDateOf(node)?.feel,
    form: formOf(ctx, node),
    decisions: decisionsOf(node),
    rule: ruleOf(node),
  });
}

/**
 * The trigger of a throw or end event; a job-worker message event (Camunda 8) also gets its
 * job, and its message is named by its bpmn:message or, without one, by the event's id.
 */
function throwOf(node: ModdleElement): Draft {
  if (!isJobWorkerEvent(node)) return { trigger: buildTrigger(node) };
  return {
    trigger: { ...buildTrigger(node), messageName: messageNameOf(node) ?? node.id },
    job: jobOf(node),
  };
}

/** Handler type, retries and headers of a task or event run by a job worker. */
function jobOf(node: ModdleElement): Draft {
  const definition = extensionOf(node, 'zeebe:TaskDefinition');
  const retries =
    definition?.retries === undefined ? DEFAULT_RETRIES : Number.parseInt(definition.retries, 10);
  return { taskType: definition?.type?.trim(), retries, headers: headersOf(node) };
}

/** govflow:formField fields, else those of the embedded Camunda form (camunda-form-invalid forbids both). */
function formOf(ctx: CompileContext, node: ModdleElement): Draft[] {
  const own = declaredFields(node, 'govflow:FormField');
  return own.length > 0 ? own : (camundaFormFieldsOf(ctx, node) ?? []);
}

function ruleOf(node: ModdleElement): Draft | undefined {
  if (!is(node, 'bpmn:UserTask') && !is(node, 'bpmn:ServiceTask') && !is(node, 'bpmn:BusinessRuleTask'))
    return undefined;
  const rule = extensionOf(node, 'govflow:ApprovalRule');
  if (!rule) return undefined;
  return compact({
    id: String(rule.id).trim(),
    facts: (rule.facts ?? []).map((fact: ModdleElement) => ({
      name: String(fact.name).trim(),
      registry: String(fact.registry).trim(),
      key: stripFeel(fact.key),
    })),
    approveWhen: expressionBody(rule.approveWhen) ?? '',
    rejectWhen: rule.rejectWhen ? expressionBody(rule.rejectWhen) : undefined,
  });
}
