// Starting an application of a deployed process: by submission (POST /applications, the none
// start event) or by a message or signal start event (POST /messages, POST /signals).
import { createHash, randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { personKey } from '../activities/handlers/public-security.ts';
import { type FieldError, validateForm } from '../definitions/forms.ts';
import type { ProcessModel } from '../definitions/model.ts';
import { applicationWorkflow } from '../workflows/application.ts';
import { GovApplicant, GovProcessKey, GovStatus } from '../workflows/search-attributes.ts';
import type { ApplicationInput } from '../workflows/state.ts';
import type { DefinitionStore, DeployedDefinition } from './definition-store.ts';
import type { ApiServices } from './env.ts';

export interface StartApplicationOptions {
  data: Record<string, unknown>;
  submittedBy: string;
  /** The start event to begin at; absent: the process's none start event. */
  startEventId?: string;
  /** Makes the start idempotent (e.g. a message id): the same key gives the same application id. */
  idempotencyKey?: string;
  /** The submitter's ID number from its token: becomes `applicant.personKey`, never stored itself. */
  idNumber?: string;
}

/** Set by govflow from the caller's token at the start, never from the data the caller sends. */
export const SYSTEM_VARIABLES = ['applicant'] as const;

/**
 * Who submitted, as the process sees it: `applicant.id` (the token's subject) and, when the token
 * carries an ID number, `applicant.personKey` (its salted hash, the key departments use for people).
 */
export function applicantVariable(opts: Pick<StartApplicationOptions, 'submittedBy' | 'idNumber'>) {
  return {
    id: opts.submittedBy,
    personKey: opts.idNumber ? personKey(opts.idNumber) : null,
  };
}

export type StartCheck = { ok: true; startEventId: string } | { ok: false; errors: FieldError[] };

/** Checks, before anything is written, that the application can start there with this data. */
export function checkStart(definition: DeployedDefinition, opts: StartApplicationOptions): StartCheck {
  const startEventId = opts.startEventId ?? definition.model.startEventId;
  const start = startEventId ? definition.model.elements[startEventId] : undefined;
  if (!startEventId || start?.kind !== 'startEvent') {
    return {
      ok: false,
      errors: [
        {
          field: 'processKey',
          message: `process "${definition.key}" has no start event for submissions; it starts on a message, signal or timer`,
        },
      ],
    };
  }
  const errors = [
    ...SYSTEM_VARIABLES.filter((name) => Object.hasOwn(opts.data, name)).map((name) => ({
      field: name,
      message: `${name} is set by govflow from your token and cannot be submitted`,
    })),
    ...processSetKeys(definition.model, startEventId, opts.data).map((name) => ({
      field: name,
      message: `${name} is set by the process itself (element ${processSetBy(definition.model, startEventId).get(name)}) and cannot be submitted`,
    })),
    ...validateForm(start.form, opts.data),
  ];
  return errors.length > 0 ? { ok: false, errors } : { ok: true, startEventId };
}

/**
 * The variables the model's own elements write (script and business rule results, output
 * mappings, task forms, event payloads), by name, with the element that writes each: start data
 * presetting one would steer what the process decides (e.g. `totalPaid` against the deed tax).
 */
function processSetBy(model: ProcessModel, startEventId: string): Map<string, string> {
  const found = new Map<string, string>();
  const add = (name: string | undefined, elementId: string) => {
    const top = name?.split('.')[0];
    if (top && !found.has(top)) found.set(top, elementId);
  };
  for (const element of Object.values(model.elements)) {
    if (element.id === startEventId) continue;
    const e = element as {
      resultVariable?: string;
      outputs?: { target: string }[];
      form?: { id: string }[];
      trigger?: { payload?: { id: string }[] };
    };
    add(e.resultVariable, element.id);
    for (const o of e.outputs ?? []) add(o.target, element.id);
    if (element.kind !== 'startEvent') for (const f of e.form ?? []) add(f.id, element.id);
    for (const f of e.trigger?.payload ?? []) add(f.id, element.id);
  }
  return found;
}

/** Keys of the start data that the process sets itself and the start form does not declare. */
function processSetKeys(model: ProcessModel, startEventId: string, data: Record<string, unknown>): string[] {
  const start = model.elements[startEventId] as { form?: { id: string }[] };
  const declared = new Set((start.form ?? []).map((f) => f.id.split('.')[0]));
  const set = processSetBy(model, startEventId);
  return Object.keys(data).filter((key) => set.has(key) && !declared.has(key));
}

export interface StartedApplication {
  id: string;
  processKey: string;
  version: number;
  /** The idempotency key had already started this application. */
  alreadyStarted: boolean;
}

/**
 * The latest versions of every process the model's call activities reach, transitively: pinned with
 * the application so a later deployment never changes what it calls. An undeployed one is left out
 * and becomes an incident when it is called.
 */
export function calledModels(store: DefinitionStore, model: ProcessModel): Record<string, ProcessModel> {
  const found: Record<string, ProcessModel> = {};
  const queue = [model];
  while (queue.length > 0) {
    for (const element of Object.values(queue.pop()!.elements)) {
      if (element.kind !== 'callActivity' || element.calledProcessKey in found) continue;
      const called = store.get(element.calledProcessKey)?.model;
      if (!called) continue;
      found[element.calledProcessKey] = called;
      queue.push(called);
    }
  }
  return found;
}

/** A new application's id: derived from the idempotency key when there is one, else random. */
export function newApplicationId(processKey: string, idempotencyKey?: string): string {
  return idempotencyKey
    ? `app-${createHash('sha256').update(`${processKey}\u0000${idempotencyKey}`).digest('hex').slice(0, 16)}`
    : `app-${randomBytes(8).toString('hex')}`;
}

/**
 * What starting an application's workflow takes, started now or later or by a schedule: its task
 * queue, id, input (with the called models pinned), memo and search attributes. An empty
 * `applicationId` makes the workflow take its workflow id as the application id.
 */
export function applicationStartOptions(
  services: ApiServices,
  definition: DeployedDefinition,
  opts: Omit<StartApplicationOptions, 'idempotencyKey'> & { applicationId: string },
) {
  const { key: processKey, version, hash } = definition;
  const model: ProcessModel = definition.model;
  const input: ApplicationInput = {
    applicationId: opts.applicationId,
    model,
    data: { ...opts.data, applicant: applicantVariable(opts) },
    submittedBy: opts.submittedBy,
    calledModels: calledModels(services.definitions, model),
    ...(opts.startEventId ? { startEventId: opts.startEventId } : {}),
  };
  return {
    taskQueue: services.taskQueue,
    workflowId: opts.applicationId,
    args: [input] as [ApplicationInput],
    memo: { processKey, version, definitionHash: hash },
    typedSearchAttributes: [
      { key: GovProcessKey, value: processKey },
      { key: GovStatus, value: 'running' },
      { key: GovApplicant, value: opts.submittedBy },
    ],
  };
}

/** Starts the application workflow; call checkStart first. */
export async function startApplication(
  services: ApiServices,
  definition: DeployedDefinition,
  opts: StartApplicationOptions,
): Promise<StartedApplication> {
  const { key: processKey, version } = definition;
  const id = newApplicationId(processKey, opts.idempotencyKey);
  try {
    await services.temporal.workflow.start(
      applicationWorkflow,
      applicationStartOptions(services, definition, { ...opts, applicationId: id }),
    );
  } catch (err) {
    if (opts.idempotencyKey && err instanceof WorkflowExecutionAlreadyStartedError) {
      return { id, processKey, version, alreadyStarted: true };
    }
    throw err;
  }
  return { id, processKey, version, alreadyStarted: false };
}

/** Top-level start events of the latest deployed versions that a message or signal of that name starts. */
export function eventStarts(
  services: ApiServices,
  trigger: 'message' | 'signal',
  name: string,
): { definition: DeployedDefinition; startEventId: string }[] {
  const found: { definition: DeployedDefinition; startEventId: string }[] = [];
  for (const definition of services.definitions.latestDeployed()) {
    for (const element of Object.values(definition.model.elements)) {
      if (element.kind !== 'startEvent' || element.parent) continue;
      // Definitions deployed before irVersion 2 carry no trigger.
      const t = element.trigger as typeof element.trigger | undefined;
      if (!t) continue;
      const matches =
        (trigger === 'message' && t.type === 'message' && t.messageName === name) ||
        (trigger === 'signal' && t.type === 'signal' && t.signalName === name);
      if (matches) found.push({ definition, startEventId: element.id });
    }
  }
  return found;
}
