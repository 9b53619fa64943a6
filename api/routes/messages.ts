// /messages and /signals: events from outside. A message is correlated by name + correlation key
// to the workflow waiting for it (or buffered for its time to live) and starts a new application
// of every process whose message start event has that name; a signal reaches every waiting
// application and starts processes with a matching signal start event.
import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { isGrpcDeadlineError } from '@temporalio/client';
import type { Context } from 'hono';
import { messageActivities } from '../../activities/messages.ts';
import { type FieldError, validateForm } from '../../definitions/forms.ts';
import { EVENT_NAME_PATTERN, MAX_MAILBOX_ID_LENGTH, mailboxWorkflowId } from '../../workflows/messages.ts';
import { durationMs } from '../../workflows/timers.ts';
import { requireRole } from '../auth.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import {
  applicantOwnsCorrelation,
  declaredPublishers,
  eventUses,
  mayPublish,
  payloadFields,
  undeclaredKeys,
} from '../event-policy.ts';
import { problem } from '../problem.ts';
import { jsonResponse, problemResponses } from '../schemas.ts';
import { checkStart, eventStarts, startApplication } from '../start-application.ts';

/** Buffered messages live at most this long (and by default one hour, as in Zeebe). */
const MAX_TTL_MS = 365 * 86_400_000;
const DEFAULT_TTL_MS = 3_600_000;
/** How long a publish or broadcast may wait for Temporal before the caller is told to retry. */
const TEMPORAL_TIMEOUT_MS = 15_000;

const EventName = z
  .string()
  .regex(EVENT_NAME_PATTERN, 'use 1-128 letters, digits, spaces or ._:/-, starting with a letter or digit')
  .openapi({ pattern: EVENT_NAME_PATTERN.source }); // the generator would append the regex's /u flag
const Variables = z.record(z.string(), z.unknown()).default({});

/** The durations a time to live may be: weeks, days, hours, minutes and seconds, nothing negative. */
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of a time to live (ISO 8601 duration or ms), or why it is not acceptable. */
function timeToLiveMs(value: number | string): number | string {
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) return 'must be a whole number of milliseconds, 0 or more';
    ms = value;
  } else {
    if (!DURATION.test(value) || value === 'P' || value.endsWith('T'))
      return `"${value}" is not an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. PT1H)`;
    ms = durationMs(value);
  }
  return ms > MAX_TTL_MS ? 'must be at most 365 days' : Math.round(ms);
}

/** The time to live in milliseconds, DEFAULT_TTL_MS when absent. */
const TimeToLive = z
  .union([z.number(), z.string()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return DEFAULT_TTL_MS;
    const ms = timeToLiveMs(value);
    if (typeof ms === 'number') return ms;
    // Not aborting, so the body's own checks (the mailbox id's length) still report too.
    ctx.addIssue({ code: 'custom', message: ms, continue: true });
    return z.NEVER;
  })
  .openapi({ description: 'ISO 8601 duration (PT1H) or milliseconds; default PT1H; 0: no buffering' });

const publishRoute = createRoute({
  method: 'post',
  path: '/',
  summary: 'Publish a message, correlated by name and correlation key',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              name: EventName,
              correlationKey: z
                .string()
                .min(1)
                .max(256)
                .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters')
                .openapi({ pattern: '^[^\\p{Cc}]+$' }),
              variables: Variables,
              timeToLive: TimeToLive,
              messageId: z
                .string()
                .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'use 1-128 letters, digits or ._:-')
                .optional(),
            })
            .superRefine(({ name, correlationKey }, ctx) => {
              if (typeof name !== 'string' || typeof correlationKey !== 'string') return;
              if (mailboxWorkflowId(name, correlationKey).length > MAX_MAILBOX_ID_LENGTH) {
                const message = `with the name, longer than ${MAX_MAILBOX_ID_LENGTH} characters once URL-encoded`;
                ctx.addIssue({ code: 'custom', path: ['correlationKey'], message });
              }
            }),
        },
      },
      required: true,
    },
  },
  responses: {
    202: jsonResponse(
      'Accepted: delivered to the waiting workflows or buffered for its time to live',
      z.object({ messageId: z.string(), startedApplications: z.array(z.string()) }),
    ),
    ...problemResponses(401, 403, 422, 503),
  },
});

const broadcastRoute = createRoute({
  method: 'post',
  path: '/',
  summary: 'Broadcast a BPMN signal to every application waiting for it',
  request: {
    body: {
      content: { 'application/json': { schema: z.object({ name: EventName, variables: Variables }) } },
      required: true,
    },
  },
  responses: {
    202: jsonResponse(
      'Broadcast',
      z.object({ delivered: z.number(), startedApplications: z.array(z.string()) }),
    ),
    ...problemResponses(401, 403, 422, 503),
  },
});

/** Anyone signed in acts on events, except auditors, who only read. */
const publishers = requireRole('applicant', 'clerk', 'department', 'designer');

/** The /messages and /signals routers; they share one client for the mailboxes. */
export function eventRoutes(services: ApiServices) {
  const messaging = messageActivities(services.temporal, services.taskQueue);
  const messages = new OpenAPIHono<ApiEnv>();
  messages.use('*', publishers);
  messages.openapi(publishRoute, async (c) => {
    const { name, correlationKey, variables, timeToLive, messageId = randomUUID() } = c.req.valid('json');
    const refused = await refuseEvent(c, services, 'message', name, variables, correlationKey);
    if (refused) return refused as never;
    const outcome = await deliverEvent(c, services, 'message', name, variables, messageId, async () => {
      await messaging.publishMessage({
        name,
        correlationKey,
        variables,
        messageId,
        timeToLiveMs: timeToLive,
      });
      return { messageId };
    });
    if (outcome instanceof Response) return outcome as never;
    c.get('log').info({ messageName: name, ...outcome }, 'message published');
    return c.json(outcome, 202);
  });

  const signals = new OpenAPIHono<ApiEnv>();
  signals.use('*', publishers);
  signals.openapi(broadcastRoute, async (c) => {
    const { name, variables } = c.req.valid('json');
    const refused = await refuseEvent(c, services, 'signal', name, variables);
    if (refused) return refused as never;
    const outcome = await deliverEvent(c, services, 'signal', name, variables, undefined, async () => ({
      delivered: await messaging.broadcastSignal({ name, variables }),
    }));
    if (outcome instanceof Response) return outcome as never;
    c.get('log').info({ signalName: name, ...outcome }, 'signal broadcast');
    return c.json(outcome, 202);
  });
  return { messages, signals };
}

/**
 * A 403 when the models do not let the caller publish this event (an applicant: only messages to
 * its own applications; signals reach everyone, so never), a 422 naming the variables no model
 * declares or that break a declared field; undefined when it may go out.
 */
async function refuseEvent(
  c: Context<ApiEnv>,
  services: ApiServices,
  kind: 'message' | 'signal',
  name: string,
  variables: Record<string, unknown>,
  correlationKey?: string,
): Promise<Response | undefined> {
  const user = c.get('user');
  const uses = eventUses(services, kind, name);
  const who = declaredPublishers(uses).join(', ');
  if (!mayPublish(uses, user)) {
    return problem(c, 403, 'Forbidden', `${kind} "${name}" may be published only by ${who}`);
  }
  if (user.role === 'applicant') {
    const own =
      kind === 'message' &&
      correlationKey !== undefined &&
      (await applicantOwnsCorrelation(services, uses, user, correlationKey));
    if (!own) {
      const why =
        kind === 'signal'
          ? 'never: a signal reaches every application'
          : `only to an application it submitted, and none of yours waits for it under "${correlationKey}"`;
      return problem(c, 403, 'Forbidden', `${kind} "${name}" may be published by an applicant ${why}`);
    }
  }
  const undeclared = undeclaredKeys(uses, variables);
  const errors: FieldError[] = [
    ...undeclared.map((key) => ({
      field: `variables.${key}`,
      message: `${key} is not a variable ${kind} "${name}" declares (govflow:payloadField)`,
    })),
    ...validateForm(payloadFields(uses), variables).map((e) => ({ ...e, field: `variables.${e.field}` })),
  ];
  if (errors.length === 0) return undefined;
  const detail =
    undeclared.length > 0
      ? `${kind} "${name}" does not declare ${undeclared.join(', ')}; nothing was delivered`
      : errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return problem(c, 422, 'Invalid request', detail, { errors });
}

/**
 * Delivers a message or signal: once every start event it triggers accepts the variables (else a
 * 422), sends it and starts those applications, under the Temporal deadline (else a 503).
 */
async function deliverEvent<T extends object>(
  c: Context<ApiEnv>,
  services: ApiServices,
  trigger: 'message' | 'signal',
  name: string,
  variables: Record<string, unknown>,
  messageId: string | undefined,
  send: () => Promise<T>,
): Promise<(T & { startedApplications: string[] }) | Response> {
  const starts = checkedStarts(c, services, trigger, name, variables);
  if (starts instanceof Response) return starts;
  return withTemporal(c, services, async () => ({
    ...(await send()),
    startedApplications: await startAll(c, services, starts, variables, messageId),
  }));
}

type Starts = ReturnType<typeof eventStarts>;

/** The start events this event triggers, once each has accepted the variables; else a 422. */
function checkedStarts(
  c: Context<ApiEnv>,
  services: ApiServices,
  trigger: 'message' | 'signal',
  name: string,
  variables: Record<string, unknown>,
): Starts | Response {
  const found = eventStarts(services, trigger, name);
  const errors: FieldError[] = [];
  for (const { definition, startEventId } of found) {
    const check = checkStart(definition, { data: variables, submittedBy: c.get('user').sub, startEventId });
    if (!check.ok) errors.push(...check.errors.map((e) => ({ ...e, field: `variables.${e.field}` })));
  }
  if (errors.length === 0) return found;
  const detail = `a process started by this ${trigger} does not accept the variables: ${errors
    .map((e) => `${e.field}: ${e.message}`)
    .join('; ')}`;
  return problem(c, 422, 'Invalid request', detail, { errors });
}

async function startAll(
  c: Context<ApiEnv>,
  services: ApiServices,
  found: Starts,
  data: Record<string, unknown>,
  messageId?: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const { definition, startEventId } of found) {
    const started = await startApplication(services, definition, {
      data,
      submittedBy: c.get('user').sub,
      idNumber: c.get('user').idNumber,
      startEventId,
      ...(messageId ? { idempotencyKey: `${startEventId}\u0000${messageId}` } : {}),
    });
    ids.push(started.id);
  }
  return ids;
}

/** Runs Temporal calls under a deadline; a Temporal that does not answer is a 503, not a 500. */
async function withTemporal<T>(
  c: Context<ApiEnv>,
  services: ApiServices,
  fn: () => Promise<T>,
): Promise<T | Response> {
  try {
    return await services.temporal.withDeadline(Date.now() + TEMPORAL_TIMEOUT_MS, fn);
  } catch (err) {
    if (isGrpcDeadlineError(err) || /deadline exceeded|unavailable/i.test((err as Error).message)) {
      return problem(c, 503, 'Unavailable', 'the engine did not answer in time; try again shortly');
    }
    throw err;
  }
}
