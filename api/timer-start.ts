// A process whose start event is a timer starts applications by itself: a Temporal Schedule for a
// cycle (R3/PT1H), a delayed start for a date or a duration. Deploying a new version replaces it.
import { ScheduleNotFoundError } from '@temporalio/client';
import type { ElementOf } from '../definitions/model.ts';
import { applicationWorkflow } from '../workflows/application.ts';
import { evaluateFeel } from '../workflows/feel.ts';
import { dateMs, durationMs, parseCycle } from '../workflows/timers.ts';
import type { DeployedDefinition } from './definition-store.ts';
import type { ApiServices } from './env.ts';
import { applicationStartOptions, newApplicationId } from './start-application.ts';

/** Who submitted an application a timer started. */
const TIMER_SUBMITTER = 'timer';

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
  const value = String(evaluateFeel(timer.expression, {}));
  const startOptions = (applicationId: string) =>
    applicationStartOptions(services, definition, {
      applicationId,
      data: {},
      submittedBy: TIMER_SUBMITTER,
      startEventId: start.id,
    });
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
        // The workflow takes its application id from its workflow id (schedules append the time to it).
        ...startOptions(''),
        workflowId: `app-timer-${model.key}`,
      },
      state: Number.isFinite(cycle.repetitions) ? { remainingActions: cycle.repetitions } : {},
    });
    return;
  }
  const delayMs = timer.kind === 'date' ? Math.max(0, dateMs(value) - Date.now()) : durationMs(value);
  await services.temporal.workflow.start(applicationWorkflow, {
    ...startOptions(newApplicationId(model.key)),
    startDelay: delayMs,
  });
}
