// The process model: what the compiler produces from BPMN XML and what the interpreter workflow runs.
// It travels inside workflow histories, so it is plain JSON and versioned by `irVersion`.
import { z } from 'zod';

export const IR_VERSION = 2;

/** A FEEL expression as written in the model, without Camunda's leading `=`. */
const Feel = z.string().min(1);

/**
 * A value the data must hold: from govflow:formField or a Camunda form. `id` may be a dotted
 * path into nested data (`address.city`). The checks beyond type come from Camunda forms.
 */
export const FormField = z.object({
  id: z.string().min(1),
  label: z.string().optional(),
  /** `array`: a list (Camunda checklist, taglist), its items limited by `options` when given. */
  type: z.enum(['string', 'number', 'boolean', 'date', 'array']),
  required: z.boolean(),
  /** Bounds of a number. */
  min: z.number().optional(),
  max: z.number().optional(),
  /** Bounds of a string's length, not counting surrounding spaces (as Camunda forms count). */
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(0).optional(),
  /** A regular expression (JavaScript, unanchored) a string must match. */
  pattern: z.string().optional(),
  /** Said instead of the pattern when a string does not match it. */
  patternMessage: z.string().optional(),
  /** The values allowed (of an array: for its items). */
  options: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Bounds of a list's length (`govflow:formField minItems/maxItems`). */
  minItems: z.number().int().min(0).optional(),
  maxItems: z.number().int().min(0).optional(),
});
export type FormField = z.infer<typeof FormField>;

/** Copies a FEEL expression's value into a variable (input/output mapping). */
export const Mapping = z.object({ source: Feel, target: z.string().min(1) });
export type Mapping = z.infer<typeof Mapping>;

/** A fact the approval rule reads from a department registry on the ledger. */
export const RuleFact = z.object({
  name: z.string().min(1),
  registry: z.string().min(1),
  /** FEEL expression over the application's variables giving the registry key. */
  key: Feel,
});
export type RuleFact = z.infer<typeof RuleFact>;

/**
 * The automatic-approval rule of a step. Evaluated by the chaincode against ledger facts:
 * reject when `rejectWhen` holds, approve when `approveWhen` holds, otherwise manual.
 */
export const ApprovalRule = z.object({
  id: z.string().min(1),
  facts: z.array(RuleFact),
  approveWhen: Feel,
  rejectWhen: Feel.optional(),
});
export type ApprovalRule = z.infer<typeof ApprovalRule>;

/** A timer as modelled: an ISO 8601 date, duration or cycle (`R3/PT10M`), written in FEEL. */
export const TimerDefinition = z.object({
  kind: z.enum(['date', 'duration', 'cycle']),
  /** FEEL; a literal like `PT5M` in the XML is compiled to the FEEL string `"PT5M"`. */
  expression: Feel,
});
export type TimerDefinition = z.infer<typeof TimerDefinition>;

/**
 * Who may publish a message or signal through the API (`govflow:publishers`): `department:<MSP id>`,
 * `clerk:<group>`, `applicant` (only to an application it submitted), `engine` (only the processes'
 * own throw events). Absent: any clerk or department, never an applicant (see api/publishers.ts).
 */
const Publishers = z.array(z.string().min(1)).optional();
/**
 * The variables a message or signal may carry (`govflow:payloadField`); a key not declared is
 * refused by the API and never merged. Absent (models compiled before): merged as they come.
 */
const Payload = z.array(FormField).optional();

/** What an event waits for (catch) or raises (throw). */
export const EventTrigger = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('timer'), timer: TimerDefinition }),
  z.object({
    type: z.literal('message'),
    messageName: z.string().min(1),
    /** FEEL over the variables; required on catch events inside a running instance. */
    correlationKey: Feel.optional(),
    publishers: Publishers,
    payload: Payload,
  }),
  /** errorCode absent on a catch event: catches every error. */
  z.object({ type: z.literal('error'), errorCode: z.string().optional() }),
  z.object({ type: z.literal('escalation'), escalationCode: z.string().optional() }),
  z.object({
    type: z.literal('signal'),
    signalName: z.string().min(1),
    publishers: Publishers,
    payload: Payload,
  }),
  z.object({ type: z.literal('link'), linkName: z.string().min(1) }),
  /** On a throw event: the activity to compensate, or every completed one of the scope. */
  z.object({ type: z.literal('compensation'), activityRef: z.string().optional() }),
  z.object({ type: z.literal('terminate') }),
]);
export type EventTrigger = z.infer<typeof EventTrigger>;

export const MultiInstance = z.object({
  sequential: z.boolean(),
  /** FEEL giving the list to iterate. */
  inputCollection: Feel,
  /** Variable holding the current item in each instance's scope. */
  inputElement: z.string().optional(),
  /** Variable receiving the list of each instance's `outputElement` value. */
  outputCollection: z.string().optional(),
  outputElement: Feel.optional(),
  /** FEEL evaluated after each instance completes; true ends the others. */
  completionCondition: Feel.optional(),
});
export type MultiInstance = z.infer<typeof MultiInstance>;

const ElementBase = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  incoming: z.array(z.string()),
  outgoing: z.array(z.string()),
  /** The sub-process this element sits in; absent: directly in the process. */
  parent: z.string().optional(),
  /** Line of the element in the source XML, for diagnostics at run time. */
  line: z.number().int().optional(),
  /** Input mappings create local variables of the element's scope; outputs write to the parent. */
  inputs: z.array(Mapping).default([]),
  outputs: z.array(Mapping).default([]),
  /** Ids of boundary events attached to this activity. */
  boundaryEvents: z.array(z.string()).default([]),
  multiInstance: MultiInstance.optional(),
  /** A compensation handler (`isForCompensation`): runs only when its activity is compensated. */
  isForCompensation: z.boolean().default(false),
});

/** A handler run by type, with its retries and static headers (`zeebe:taskDefinition`, `zeebe:taskHeaders`). */
export const Job = z.object({
  /** Handler name (`zeebe:taskDefinition type`). */
  taskType: z.string().min(1),
  retries: z.number().int().min(0).default(3),
  /** `zeebe:taskHeaders`, passed to the handler. */
  headers: z.record(z.string(), z.string()).default({}),
});
export type Job = z.infer<typeof Job>;

export const StartEvent = ElementBase.extend({
  kind: z.literal('startEvent'),
  trigger: EventTrigger.default({ type: 'none' }),
  /** For the start event of an event sub-process. */
  interrupting: z.boolean().default(true),
  form: z.array(FormField).default([]),
});
export const EndEvent = ElementBase.extend({
  kind: z.literal('endEvent'),
  /** How the application ends when a token reaches this event (`govflow:outcome`). */
  outcome: z.enum(['completed', 'rejected']).default('completed'),
  /** none, terminate, error, escalation, message, signal or compensation. */
  trigger: EventTrigger.default({ type: 'none' }),
  /** A message end event run by a job worker (Camunda 8). */
  job: Job.optional(),
});
export const IntermediateCatchEvent = ElementBase.extend({
  kind: z.literal('intermediateCatchEvent'),
  trigger: EventTrigger,
});
export const IntermediateThrowEvent = ElementBase.extend({
  kind: z.literal('intermediateThrowEvent'),
  trigger: EventTrigger,
  /** Camunda 8 message throw events are run by a job worker; then the job does the sending. */
  job: Job.optional(),
});
export const BoundaryEvent = ElementBase.extend({
  kind: z.literal('boundaryEvent'),
  attachedTo: z.string().min(1),
  /** `cancelActivity`: an interrupting event ends the activity it is attached to. */
  interrupting: z.boolean(),
  trigger: EventTrigger,
  /** For a compensation boundary event: the handler activity associated with it. */
  compensationHandler: z.string().optional(),
});
export const UserTask = ElementBase.extend({
  kind: z.literal('userTask'),
  candidateGroups: z.array(z.string().min(1)),
  candidateUsers: z.array(z.string().min(1)).default([]),
  assignee: z.string().optional(),
  /** FEEL giving the assignee's user id (`assignee="=expr"`), evaluated when the task opens. */
  assigneeExpression: Feel.optional(),
  /** FEEL giving an ISO date-time (`zeebe:taskSchedule dueDate`). */
  dueDate: Feel.optional(),
  form: z.array(FormField).default([]),
  /** Decisions a clerk may take (`govflow:decisions`); the chosen one is the variable `decision`. */
  decisions: z.array(z.string().min(1)).min(1),
  rule: ApprovalRule.optional(),
});
/** Service, send and business-rule tasks run a handler by type; a rule-only business rule task has none. */
export const ServiceTask = ElementBase.extend({
  kind: z.literal('serviceTask'),
  ...Job.shape,
  rule: ApprovalRule.optional(),
});
export const SendTask = ElementBase.extend({ kind: z.literal('sendTask'), ...Job.shape });
/** A DMN decision (`zeebe:calledDecision`), evaluated by the contract: the latest deployed version. */
export const CalledDecision = z.object({
  decisionId: z.string().min(1),
  resultVariable: z.string().min(1),
});
export type CalledDecision = z.infer<typeof CalledDecision>;
export const BusinessRuleTask = ElementBase.extend({
  kind: z.literal('businessRuleTask'),
  /** Decided by the contract against ledger facts; the decision lands in `decision`. */
  rule: ApprovalRule.optional(),
  /** Or a DMN decision, evaluated by the contract; its output lands in the result variable. */
  decision: CalledDecision.optional(),
});
export const ScriptTask = ElementBase.extend({
  kind: z.literal('scriptTask'),
  /** FEEL (`zeebe:script expression`). */
  expression: Feel,
  resultVariable: z.string().min(1),
});
export const ReceiveTask = ElementBase.extend({
  kind: z.literal('receiveTask'),
  trigger: EventTrigger, // always a message
});
/** Manual tasks and untyped tasks: nothing for the engine to do, the token passes. */
export const ManualTask = ElementBase.extend({ kind: z.enum(['manualTask', 'task']) });
export const SubProcess = ElementBase.extend({
  kind: z.literal('subProcess'),
  /** An event sub-process: started by its start event's trigger while its parent scope runs. */
  triggeredByEvent: z.boolean().default(false),
});
export const CallActivity = ElementBase.extend({
  kind: z.literal('callActivity'),
  /** Key of the called process (`zeebe:calledElement processId`); latest version at call time. */
  calledProcessKey: z.string().min(1),
  /** Copy every child variable back (Camunda's default) unless output mappings are given. */
  propagateAllChildVariables: z.boolean().default(true),
});
export const ExclusiveGateway = ElementBase.extend({
  kind: z.literal('exclusiveGateway'),
  defaultFlow: z.string().optional(),
});
export const InclusiveGateway = ElementBase.extend({
  kind: z.literal('inclusiveGateway'),
  defaultFlow: z.string().optional(),
});
export const ParallelGateway = ElementBase.extend({ kind: z.literal('parallelGateway') });
export const EventBasedGateway = ElementBase.extend({ kind: z.literal('eventBasedGateway') });

export const FlowElement = z.discriminatedUnion('kind', [
  StartEvent,
  EndEvent,
  IntermediateCatchEvent,
  IntermediateThrowEvent,
  BoundaryEvent,
  UserTask,
  ServiceTask,
  SendTask,
  BusinessRuleTask,
  ScriptTask,
  ReceiveTask,
  ManualTask,
  SubProcess,
  CallActivity,
  ExclusiveGateway,
  InclusiveGateway,
  ParallelGateway,
  EventBasedGateway,
]);
export type FlowElement = z.infer<typeof FlowElement>;
export type FlowElementKind = FlowElement['kind'];
export type ElementOf<K extends FlowElementKind> = Extract<FlowElement, { kind: K }>;
export type UserTaskElement = ElementOf<'userTask'>;
export type ServiceTaskElement = ElementOf<'serviceTask'>;

export const SequenceFlow = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  source: z.string().min(1),
  target: z.string().min(1),
  /** FEEL condition; absent means unconditional. */
  condition: Feel.optional(),
});
export type SequenceFlow = z.infer<typeof SequenceFlow>;

export const ProcessModel = z.object({
  irVersion: z.literal(IR_VERSION),
  key: z.string().min(1),
  name: z.string().optional(),
  version: z.number().int().min(1),
  /** SHA-256 (hex) of the source XML; a running application is pinned to it. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The process's none start event, where an application submitted through the API begins. */
  startEventId: z.string().min(1).optional(),
  /** Every flow element of the process and of its sub-processes, by id (ids are document-unique). */
  elements: z.record(z.string(), FlowElement),
  flows: z.record(z.string(), SequenceFlow),
});
export type ProcessModel = z.infer<typeof ProcessModel>;

/** A problem found in a model; `line`/`column` point into the source XML when known. */
export const Diagnostic = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  elementId: z.string().optional(),
  elementName: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

export type CompileResult =
  | { ok: true; model: ProcessModel; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };
