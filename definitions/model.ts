// The process model: what the compiler produces from BPMN XML and what the interpreter workflow runs.
// It travels inside workflow histories, so it is plain JSON and versioned by `irVersion`.
import { z } from 'zod';

export const IR_VERSION = 1;

/** A FEEL expression as written in the model, without Camunda's leading `=`. */
const Feel = z.string().min(1);

export const FormField = z.object({
  id: z.string().min(1),
  label: z.string().optional(),
  type: z.enum(['string', 'number', 'boolean', 'date']),
  required: z.boolean(),
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

const ElementBase = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  incoming: z.array(z.string()),
  outgoing: z.array(z.string()),
  /** Line of the element in the source XML, for diagnostics at run time. */
  line: z.number().int().optional(),
  inputs: z.array(Mapping).default([]),
  outputs: z.array(Mapping).default([]),
});

export const StartEvent = ElementBase.extend({
  kind: z.literal('startEvent'),
  form: z.array(FormField).default([]),
});
export const EndEvent = ElementBase.extend({
  kind: z.literal('endEvent'),
  /** How the application ends when a token reaches this event (`govflow:outcome`). */
  outcome: z.enum(['completed', 'rejected']).default('completed'),
});
export const UserTask = ElementBase.extend({
  kind: z.literal('userTask'),
  candidateGroups: z.array(z.string().min(1)),
  assignee: z.string().optional(),
  form: z.array(FormField).default([]),
  /** Decisions a clerk may take (`govflow:decisions`); the chosen one is the variable `decision`. */
  decisions: z.array(z.string().min(1)).min(1),
  rule: ApprovalRule.optional(),
});
export const ServiceTask = ElementBase.extend({
  kind: z.literal('serviceTask'),
  /** Handler name (`zeebe:taskDefinition type`). */
  taskType: z.string().min(1),
  retries: z.number().int().min(0).default(3),
  rule: ApprovalRule.optional(),
});
export const ExclusiveGateway = ElementBase.extend({
  kind: z.literal('exclusiveGateway'),
  defaultFlow: z.string().optional(),
});
export const ParallelGateway = ElementBase.extend({ kind: z.literal('parallelGateway') });

export const FlowElement = z.discriminatedUnion('kind', [
  StartEvent,
  EndEvent,
  UserTask,
  ServiceTask,
  ExclusiveGateway,
  ParallelGateway,
]);
export type FlowElement = z.infer<typeof FlowElement>;
export type FlowElementKind = FlowElement['kind'];
export type UserTaskElement = z.infer<typeof UserTask>;
export type ServiceTaskElement = z.infer<typeof ServiceTask>;

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
  startEventId: z.string().min(1),
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
