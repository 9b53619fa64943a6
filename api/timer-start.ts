// A process whose start event is a timer starts applications by itself: a Temporal Schedule for a
// cycle (R3/PT1H), a delayed start for a date or a duration. Deploying a new version replaces it.
import { randomBytes } from 'node:crypto';
import { evaluate } from '@bpmn-io/feelin';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { ElementOf } from '../definitions/model.ts';
import { applicationWorkflow } from '../workflows/application.ts';
import { GovApplicant, GovProcessKey, GovStatus } from '../workflows/search-attributes.ts';
import { dateMs, durationMs, parseCycle } from '../workflows/timers.ts';
import type { DeployedDefinition } from './definition-store.ts';
import type { ApiServices } from './env.ts';
import { calledModels } from './start-application.ts';

/** Who submitted an application a timer started. */
export const TIMER_SUBMITTER = 'timer';

export async function armTimerStart(services: ApiServices, definition: DeployedDefinition): Promise<void> {
  const scheduleId = `timer-start:${definition.key}`;
  await services.temporal.schedule
    .getHandle(scheduleId)
    .delete()
    .catch((err) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
  const { model } = definition;
  const start = Object.values(model.elements).find(
    (e): e is ElementOf<'startEvent'> => e.kind === 'startEvent' && !e.parent && e.trigger.type === 'timer',
  );
  if (start?.trigger.type !== 'timer') return;
  const timer = start.trigger.timer;
  const value = String(toIso(evaluate(timer.expression, {}).value));
  const options = {
    taskQueue: services.taskQueue,
    // The workflow takes its application id from its workflow id (schedules append the time to it).
    args: [
      {
        applicationId: '',
        model,
        data: {},
        submittedBy: TIMER_SUBMITTER,
        startEventId: start.id,
        calledModels: calledModels(services.definitions, model),
      },
    ] as Parameters<typeof applicationWorkflow>,
    memo: { processKey: model.key, version: model.version, definitionHash: model.hash },
    typedSearchAttributes: [
      { key: GovProcessKey, value: model.key },
      { key: GovStatus, value: 'running' },
      { key: GovApplicant, value: TIMER_SUBMITTER },
    ],
  };
  if (timer.kind === 'cycle') {
    const cycle = parseCycle(value);
    await services.temporal.schedule.create({
      scheduleId,
      spec: {
        intervals: [{ every: cycle.intervalMs }],
        ...(cycle.startAt ? { startAt: new Date(cycle.startAt) } : {}),
      },
      action: {
        type: 'startWorkflow',
        workflowType: applicationWorkflow,
        workflowId: `app-timer-${model.key}`,
        ...options,
      },
      state: Number.isFinite(cycle.repetitions) ? { remainingActions: cycle.repetitions } : {},
    });
    return;
  }
  const delayMs = timer.kind === 'date' ? Math.max(0, dateMs(value) - Date.now()) : durationMs(value);
  const workflowId = `app-${randomBytes(8).toString('hex')}`;
  options.args[0].applicationId = workflowId;
  await services.temporal.workflow.start(applicationWorkflow, {
    ...options,
    workflowId,
    startDelay: delayMs,
  });
}

function toIso(value: unknown): unknown {
  const iso = value as { toISO?: () => string };
  return typeof iso?.toISO === 'function' ? iso.toISO() : value;
}
