// All validation rules, in the order their diagnostics are listed. Each rule's code is its file name.
import type { Rule } from '../context.ts';
import { approvalRuleInvalid } from './approval-rule-invalid.ts';
import { conditionalFlowFromTask } from './conditional-flow-from-task.ts';
import { deadEnd } from './dead-end.ts';
import { defaultFlowNotOutgoing } from './default-flow-not-outgoing.ts';
import { defaultFlowWithCondition } from './default-flow-with-condition.ts';
import { endEventOutcomeInvalid } from './end-event-outcome-invalid.ts';
import { exclusiveGatewayNoDefaultOrConditions } from './exclusive-gateway-no-default-or-conditions.ts';
import { feelSyntax } from './feel-syntax.ts';
import { flowTargetMissing } from './flow-target-missing.ts';
import { formFieldInvalid } from './form-field-invalid.ts';
import { ioMappingInvalid } from './io-mapping-invalid.ts';
import { multipleStartEvents } from './multiple-start-events.ts';
import { noEndEvent } from './no-end-event.ts';
import { noStartEvent } from './no-start-event.ts';
import { noWayToEnd } from './no-way-to-end.ts';
import { parallelGatewayConditions } from './parallel-gateway-conditions.ts';
import { serviceTaskRetriesInvalid } from './service-task-retries-invalid.ts';
import { serviceTaskTypeMissing } from './service-task-type-missing.ts';
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
  'no-end-event': noEndEvent,
  'unreachable-element': unreachableElement,
  'dead-end': deadEnd,
  'no-way-to-end': noWayToEnd,
  'exclusive-gateway-no-default-or-conditions': exclusiveGatewayNoDefaultOrConditions,
  'default-flow-with-condition': defaultFlowWithCondition,
  'default-flow-not-outgoing': defaultFlowNotOutgoing,
  'conditional-flow-from-task': conditionalFlowFromTask,
  'parallel-gateway-conditions': parallelGatewayConditions,
  'service-task-type-missing': serviceTaskTypeMissing,
  'service-task-retries-invalid': serviceTaskRetriesInvalid,
  'user-task-unassigned': userTaskUnassigned,
  'user-task-decisions-invalid': userTaskDecisionsInvalid,
  'end-event-outcome-invalid': endEventOutcomeInvalid,
  'io-mapping-invalid': ioMappingInvalid,
  'approval-rule-invalid': approvalRuleInvalid,
  'form-field-invalid': formFieldInvalid,
  'feel-syntax': feelSyntax,
};
