// All validation rules, in the order their diagnostics are listed. Each rule's code is its file name.
//
// Why these are not bpmnlint rule modules: bpmnlint calls a rule once per moddle node and
// gives it only that node, so cross-cutting checks (reachability, link matching, scope
// membership) would each rebuild the graph, and its reports carry an element id but no
// position inside the element (an approval rule's or form field's own line). Our rules see
// the whole CompileContext and report line/column via the Locator; they keep bpmnlint's
// layout all the same: one rule per file, `<rule>.valid.bpmn` / `<rule>.invalid.bpmn`
// fixtures in test/fixtures/bpmn/.
//
// bpmnlint's recommended rules run after these (definitions/lint/bpmnlint.ts, codes
// `bpmnlint/<rule>`). A bpmnlint rule that reports what one of these already reports is
// switched off there, with a comment naming the rule here that covers it; adding a rule here
// that duplicates a bpmnlint rule means switching that one off (and in lint/.bpmnlintrc).
import type { Rule } from '../context.ts';
import { approvalRuleInvalid } from './approval-rule-invalid.ts';
import { boundaryEventInvalid } from './boundary-event-invalid.ts';
import { businessRuleTaskInvalid } from './business-rule-task-invalid.ts';
import { callActivityProcessMissing } from './call-activity-process-missing.ts';
import { camundaFormInvalid } from './camunda-form-invalid.ts';
import { conditionalFlowFromTask } from './conditional-flow-from-task.ts';
import { deadEnd } from './dead-end.ts';
import { defaultFlowNotOutgoing } from './default-flow-not-outgoing.ts';
import { defaultFlowWithCondition } from './default-flow-with-condition.ts';
import { endEventOutcomeInvalid } from './end-event-outcome-invalid.ts';
import { errorCodeMissing } from './error-code-missing.ts';
import { eventBasedGatewayTargetInvalid } from './event-based-gateway-target-invalid.ts';
import { eventDefinitionIncomplete } from './event-definition-incomplete.ts';
import { exclusiveGatewayNoDefaultOrConditions } from './exclusive-gateway-no-default-or-conditions.ts';
import { feelSyntax } from './feel-syntax.ts';
import { flowTargetMissing } from './flow-target-missing.ts';
import { formFieldInvalid } from './form-field-invalid.ts';
import { ioMappingInvalid } from './io-mapping-invalid.ts';
import { linkUnmatched } from './link-unmatched.ts';
import { messageCorrelationMissing } from './message-correlation-missing.ts';
import { multiInstanceInvalid } from './multi-instance-invalid.ts';
import { multipleStartEvents } from './multiple-start-events.ts';
import { noEndEvent } from './no-end-event.ts';
import { noStartEvent } from './no-start-event.ts';
import { noWayToEnd } from './no-way-to-end.ts';
import { parallelGatewayConditions } from './parallel-gateway-conditions.ts';
import { scriptTaskInvalid } from './script-task-invalid.ts';
import { serviceTaskRetriesInvalid } from './service-task-retries-invalid.ts';
import { serviceTaskTypeMissing } from './service-task-type-missing.ts';
import { subProcessStartInvalid } from './sub-process-start-invalid.ts';
import { timerInvalid } from './timer-invalid.ts';
import { unreachableElement } from './unreachable-element.ts';
import { unsupportedElement } from './unsupported-element.ts';
import { unsupportedFeature } from './unsupported-feature.ts';
import { userTaskDecisionsInvalid } from './user-task-decisions-invalid.ts';
import { userTaskUnassigned } from './user-task-unassigned.ts';

export const RULES: Readonly<Record<string, Rule>> = {
  'unsupported-element': unsupportedElement,
  'unsupported-feature': unsupportedFeature,
  'flow-target-missing': flowTargetMissing,
  'no-start-event': noStartEvent,
  'multiple-start-events': multipleStartEvents,
  'sub-process-start-invalid': subProcessStartInvalid,
  'no-end-event': noEndEvent,
  'unreachable-element': unreachableElement,
  'dead-end': deadEnd,
  'no-way-to-end': noWayToEnd,
  'exclusive-gateway-no-default-or-conditions': exclusiveGatewayNoDefaultOrConditions,
  'default-flow-with-condition': defaultFlowWithCondition,
  'default-flow-not-outgoing': defaultFlowNotOutgoing,
  'conditional-flow-from-task': conditionalFlowFromTask,
  'parallel-gateway-conditions': parallelGatewayConditions,
  'event-based-gateway-target-invalid': eventBasedGatewayTargetInvalid,
  'boundary-event-invalid': boundaryEventInvalid,
  'event-definition-incomplete': eventDefinitionIncomplete,
  'error-code-missing': errorCodeMissing,
  'message-correlation-missing': messageCorrelationMissing,
  'timer-invalid': timerInvalid,
  'link-unmatched': linkUnmatched,
  'service-task-type-missing': serviceTaskTypeMissing,
  'service-task-retries-invalid': serviceTaskRetriesInvalid,
  'business-rule-task-invalid': businessRuleTaskInvalid,
  'script-task-invalid': scriptTaskInvalid,
  'call-activity-process-missing': callActivityProcessMissing,
  'multi-instance-invalid': multiInstanceInvalid,
  'user-task-unassigned': userTaskUnassigned,
  'user-task-decisions-invalid': userTaskDecisionsInvalid,
  'end-event-outcome-invalid': endEventOutcomeInvalid,
  'io-mapping-invalid': ioMappingInvalid,
  'approval-rule-invalid': approvalRuleInvalid,
  'form-field-invalid': formFieldInvalid,
  'camunda-form-invalid': camundaFormInvalid,
  'feel-syntax': feelSyntax,
};
