// Who may publish a message or signal, and which variables it may carry: both declared in the
// models that use it (govflow:publishers, govflow:payloadField on bpmn:message / bpmn:signal).
// Checked before anything is delivered, so a refused event changes nothing.
import type { EventTrigger, FormField, ProcessModel } from '../definitions/model.ts';
import { stateQuery } from '../workflows/application.ts';
import { evaluateFeel } from '../workflows/feel.ts';
import type { Claims } from './auth.ts';
import type { ApiServices } from './env.ts';

type Trigger = Extract<EventTrigger, { type: 'message' | 'signal' }>;

/** One use of the event in a deployed model: where it is caught, its declarations. */
export interface EventUse {
  processKey: string;
  version: number;
  elementId: string;
  /** A process's own start event: publishing starts a new application of the publisher's. */
  starts: boolean;
  trigger: Trigger;
}

/** Models that declare no publishers for an event: staff (clerks, departments) only, never applicants. */
export const DEFAULT_PUBLISHERS = ['clerk', 'department'];

/** Every use of the message or signal `name` in every deployed version: running ones may be older. */
export function eventUses(services: ApiServices, kind: 'message' | 'signal', name: string): EventUse[] {
  const uses: EventUse[] = [];
  for (const latest of services.definitions.latestDeployed()) {
    for (const { version } of services.definitions.versions(latest.key)) {
      const model = services.definitions.get(latest.key, version)?.model;
      if (model) uses.push(...usesIn(model, kind, name));
    }
  }
  return uses;
}

function usesIn(model: ProcessModel, kind: 'message' | 'signal', name: string): EventUse[] {
  const uses: EventUse[] = [];
  for (const element of Object.values(model.elements)) {
    const trigger = 'trigger' in element ? (element.trigger as EventTrigger | undefined) : undefined;
    if (!trigger || trigger.type !== kind) continue;
    if ((trigger.type === 'message' ? trigger.messageName : trigger.signalName) !== name) continue;
    const starts = element.kind === 'startEvent' && !element.parent;
    uses.push({ processKey: model.key, version: model.version, elementId: element.id, starts, trigger });
  }
  return uses;
}

/** Who may publish, as the models declare it (the default for uses that declare nobody), for errors. */
export function declaredPublishers(uses: EventUse[]): string[] {
  if (uses.length === 0) return DEFAULT_PUBLISHERS;
  return [...new Set(uses.flatMap((use) => use.trigger.publishers ?? DEFAULT_PUBLISHERS))];
}

/** Whether one publisher entry names the caller (`applicant` is narrowed to its own applications later). */
export function publisherMatches(entry: string, user: Claims): boolean {
  const [kind, ...rest] = entry.split(':');
  const qualifier = rest.join(':');
  switch (kind) {
    case 'department':
    case 'clerk':
      return user.role === kind && (qualifier === '' || user.groups.includes(qualifier));
    case 'applicant':
      return user.role === 'applicant' && qualifier === '';
    default:
      return false; // `engine` and anything unknown: no caller of the API
  }
}

/**
 * The uses the caller may publish to: every use that declares publishers must name the caller, so
 * one model opening a message cannot open another model's use of the same name.
 */
export function mayPublish(uses: EventUse[], user: Claims): boolean {
  if (uses.length === 0) return DEFAULT_PUBLISHERS.some((entry) => publisherMatches(entry, user));
  return uses.every((use) =>
    (use.trigger.publishers ?? DEFAULT_PUBLISHERS).some((entry) => publisherMatches(entry, user)),
  );
}

/** Keys of `variables` that no use of the event declares (govflow:payloadField). */
export function undeclaredKeys(uses: EventUse[], variables: Record<string, unknown>): string[] {
  const declared = new Set(uses.flatMap((use) => (use.trigger.payload ?? []).map(topLevel)));
  return Object.keys(variables).filter((key) => !declared.has(key));
}

/** The declared payload fields of every use, to check the variables' types and bounds against. */
export function payloadFields(uses: EventUse[]): FormField[] {
  const byId = new Map<string, FormField>();
  for (const use of uses) for (const field of use.trigger.payload ?? []) byId.set(field.id, field);
  return [...byId.values()];
}

const topLevel = (field: FormField) => field.id.split('.')[0];

/**
 * Whether an applicant's message reaches only its own applications: some running application it
 * submitted, of a process that catches the message, has that correlation key. A message for anyone
 * else's application is refused even when the model opens the message to applicants.
 */
export async function applicantOwnsCorrelation(
  services: ApiServices,
  uses: EventUse[],
  user: Claims,
  correlationKey: string,
): Promise<boolean> {
  if (uses.every((use) => use.starts)) return true; // it starts an application of its own
  const byProcess = new Map<string, EventUse[]>();
  for (const use of uses)
    if (!use.starts) byProcess.set(use.processKey, [...(byProcess.get(use.processKey) ?? []), use]);
  // A subject that cannot be quoted safely in a visibility query owns nothing found by one.
  if (/['"\\]/.test(user.sub)) return false;
  const query = `GovApplicant = '${user.sub}' AND ExecutionStatus = 'Running'`;
  for await (const execution of services.temporal.workflow.list({ query })) {
    const processKey = (execution.memo as { processKey?: string } | undefined)?.processKey;
    const candidates = processKey ? byProcess.get(processKey) : undefined;
    if (!candidates) continue;
    const state = await services.temporal.workflow
      .getHandle(execution.workflowId)
      .query(stateQuery)
      .catch(() => undefined);
    if (!state) continue;
    for (const use of candidates) {
      const expression = use.trigger.type === 'message' ? use.trigger.correlationKey : undefined;
      if (!expression) continue;
      try {
        if (String(evaluateFeel(expression, state.variables)) === correlationKey) return true;
      } catch {
        // a key that does not evaluate correlates nothing
      }
    }
  }
  return false;
}
