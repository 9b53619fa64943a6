// Features of supported elements that this version cannot honour. Errors where ignoring them
// would change behaviour; warnings for Camunda extensions we safely ignore.
import { formReferenceOf } from '../camunda-form-refs.ts';
import { type CompileContext, is } from '../context.ts';
import { described, refer } from '../diagnostic.ts';
import { candidateGroupsOf, extensionOf, extensionsOf, JOB_TASKS } from '../extensions.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { isJobWorkerEvent, messageOf } from '../triggers.ts';

const RULE = 'unsupported-feature';

const IGNORED_ZEEBE = new Map([
  ['zeebe:ExecutionListeners', 'execution listeners'],
  ['zeebe:TaskListeners', 'task listeners'],
  ['zeebe:PriorityDefinition', 'task priority'],
  ['zeebe:LinkedResources', 'linked resources'],
]);

export function unsupportedFeature(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const error = (node: ModdleElement, message: string) => found.push(ctx.diagnostic(RULE, message, node));
  const warn = (node: ModdleElement, message: string) =>
    found.push(ctx.diagnostic(RULE, message, node, { severity: 'warning' }));
  for (const node of ctx.nodes) {
    const loop = node.loopCharacteristics;
    if (loop?.$type === 'bpmn:StandardLoopCharacteristics')
      error(
        node,
        `${described(node)} is a standard loop, which this version does not support; use multi-instance`,
      );
    if (loop?.loopCardinality)
      error(
        node,
        `${described(node)} sets a loop cardinality; give a zeebe:loopCharacteristics inputCollection instead`,
      );
    if (is(node, 'bpmn:UserTask')) {
      const { raw, rawUsers } = candidateGroupsOf(node);
      if (raw?.trim().startsWith('=') || rawUsers?.trim().startsWith('='))
        error(node, `User task ${refer(node)} computes its candidates with an expression; list them instead`);
    }
    const decision = extensionOf(node, 'zeebe:CalledDecision');
    if (decision?.decisionId?.trim().startsWith('='))
      error(node, `${described(node)} computes the decision id with an expression; name the decision`);
    if (decision && (decision.bindingType ?? 'latest') !== 'latest')
      error(
        node,
        `${described(node)} binds its decision by ${decision.bindingType}; this version evaluates the latest deployed version only`,
      );
    const calledProcess = extensionOf(node, 'zeebe:CalledElement')?.processId;
    if (typeof calledProcess === 'string' && calledProcess.trim().startsWith('='))
      error(node, `${described(node)} computes the called process id with an expression; name the process`);
    const messageName = messageOf(node)?.name;
    if (typeof messageName === 'string' && messageName.trim().startsWith('='))
      error(node, `${described(node)} uses a message whose name is an expression; give the name literally`);
    // job fields elsewhere would be silently dropped
    const jobRuns = JOB_TASKS.has(node.$type) || isJobWorkerEvent(node);
    if (!jobRuns && extensionsOf(node, 'zeebe:TaskHeaders').length > 0)
      warn(node, `${described(node)} has task headers, which only elements run by a handler use; ignored`);
    if (!jobRuns && !is(node, 'bpmn:ScriptTask') && extensionOf(node, 'zeebe:TaskDefinition'))
      error(
        node,
        `${described(node)} is run by a job worker (zeebe:taskDefinition), which this version supports on service, send and business rule tasks and on message throw and end events only`,
      );
    for (const extension of node.extensionElements?.values ?? []) {
      const what = IGNORED_ZEEBE.get(extension?.$type);
      if (what) warn(node, `${described(node)} uses ${what}, which this version ignores`);
    }
    const schedule = extensionOf(node, 'zeebe:TaskSchedule');
    if (schedule?.followUpDate)
      warn(node, `${described(node)} has a follow-up date, which this version ignores`);
  }
  camundaFormWarnings(ctx, warn);
  return found;
}

/**
 * Camunda forms govflow cannot see (deployed apart, external, a custom task list's key), embedded
 * forms nothing uses, and the components of used ones whose data is not checked.
 */
function camundaFormWarnings(
  ctx: CompileContext,
  warn: (node: ModdleElement, message: string) => void,
): void {
  const used = new Set<string>();
  for (const node of ctx.nodes) {
    // a form definition elsewhere is an error of camunda-form-invalid
    if (!is(node, 'bpmn:UserTask') && !is(node, 'bpmn:StartEvent')) continue;
    const reference = formReferenceOf(node);
    const unchecked = 'so the data submitted is not checked against it';
    if (reference?.kind === 'embedded') used.add(reference.formId);
    else if (reference?.kind === 'linked')
      warn(
        node,
        `${described(node)} uses Camunda form "${reference.formId}" (formId), deployed on its own; govflow has no form deployment, ${unchecked}`,
      );
    else if (reference?.kind === 'external')
      warn(
        node,
        `${described(node)} uses the external form "${reference.reference}", which govflow cannot read, ${unchecked}`,
      );
    else if (reference?.kind === 'custom')
      warn(
        node,
        `${described(node)} uses form key "${reference.formKey}", not a form embedded in the process, ${unchecked}`,
      );
  }
  for (const [formId, embedded] of ctx.embeddedForms) {
    const { form } = embedded;
    if (!used.has(formId)) {
      warn(
        form,
        `Process "${ctx.process.id}" embeds Camunda form "${formId}", which no user task or start event uses; ignored`,
      );
      continue;
    }
    for (const { component, type, reason } of embedded.read.skipped)
      warn(form, `Camunda form "${formId}": component "${component}" (${type}) is not checked: ${reason}`);
  }
}
