// What each kind of activity does, once: user tasks (with their approval rule), jobs (service and
// send tasks), rules, scripts, receive and manual tasks, sub-processes and call activities.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  executeChild,
  patched,
} from '@temporalio/workflow';
import type { ElementOf } from '../definitions/model.ts';
import { ledger, runJobHandler } from './activity-proxies.ts';
import { triggerActor, userActor } from './actors.ts';
import type { BodyWait, ScopeState } from './continue-as-new.ts';
import { findCatcher } from './events.ts';
import { evaluateFeel } from './feel.ts';
import { evaluateAssignee, undeclaredData } from './human-tasks.ts';
import type { ActivityElement, Interpreter } from './interpreter.ts';
import { runMultiInstance } from './multi-instance.ts';
import type { Scope } from './scope.ts';
import { GovApplicant, GovProcessKey, GovStatus } from './search-attributes.ts';
import {
  type ApplicationState,
  type CompleteTaskInput,
  type OpenTask,
  taskIdOf,
  type Variables,
} from './state.ts';
import { BpmnThrow, EngineIncident } from './throws.ts';

/**
 * One execution of the activity itself; returns the variables it produced. `resumed`: what the
 * execution waited for when a previous run left it (continue-as-new), in its restored `scope`;
 * `state`: that scope's state.
 */
export async function runBody(
  engine: Interpreter,
  element: ActivityElement,
  scope: Scope,
  resumed?: BodyWait,
  state?: ScopeState,
): Promise<Variables> {
  if (resumed?.kind === 'userTask')
    return completeUserTask(engine, element as ElementOf<'userTask'>, resumed.task, scope);
  if (resumed?.kind === 'multiInstance') return runMultiInstance(engine, element, scope, resumed);
  switch (element.kind) {
    case 'userTask':
      return runUserTask(engine, element, scope);
    case 'serviceTask':
    case 'sendTask':
      return runJob(engine, element, scope);
    case 'businessRuleTask':
      if (element.decision) return callDecision(engine, element, scope);
      return decideByRule(engine, element, engine.nextInstance(element), scope.context());
    case 'scriptTask': {
      const instance = engine.nextInstance(element);
      const value = await engine.guard(element, instance, async () =>
        evaluateFeel(element.expression, scope.context()),
      );
      await engine.record(element, instance, 'engine', 'completed', { [element.resultVariable]: value });
      return { [element.resultVariable]: value };
    }
    case 'receiveTask': {
      const body =
        resumed?.kind === 'receiveTask'
          ? resumed
          : { kind: 'receiveTask' as const, instance: engine.nextInstance(element) };
      const instance = body.instance;
      const trigger = element.trigger;
      const release = engine.parkBody(scope, () => (engine.waits.ready(instance) ? undefined : body));
      let payload: Variables;
      try {
        payload = await engine.guard(element, instance, () =>
          engine.waits.waitFor(trigger, scope.context(), instance, undefined, element.id),
        );
      } finally {
        release();
      }
      await engine.record(element, instance, triggerActor(trigger), 'received', payload);
      return payload;
    }
    case 'manualTask':
    case 'task':
      await engine.record(element, engine.nextInstance(element), 'engine', 'completed');
      return {};
    case 'subProcess': {
      // Resumed, its tokens are taken up where they were instead of starting again.
      const start = resumed ? undefined : engine.noneStartOf(element.id);
      if (!resumed && !start) throw new EngineIncident(`sub-process ${element.id} has no none start event`);
      const body: BodyWait = resumed ?? { kind: 'subProcess' };
      const release = engine.parkBody(scope, () => (scope.units > 0 ? body : undefined));
      try {
        await engine.runScope(scope, start ? [start.id] : [], state?.parked, state?.listeners);
      } finally {
        release();
      }
      await engine.record(element, engine.nextInstance(element), 'engine', 'completed');
      return {};
    }
    case 'callActivity':
      return runCallActivity(engine, element, scope);
  }
}

async function decideByRule(
  engine: Interpreter,
  element: ElementOf<'userTask' | 'serviceTask' | 'businessRuleTask'>,
  instance: string,
  variables: Variables,
) {
  const rule = element.rule!;
  // The contract decides by the rule registered for this element, not by the model's copy.
  const result = await engine.guard(element, instance, () =>
    ledger.evaluateRule({ ...engine.stepIdentity(element, instance), variables }),
  );
  return { decision: result.decision, decidedBy: `contract:${rule.id}`, decisionReasons: result.reasons };
}

/** A DMN decision, evaluated and recorded by the contract; its output goes to the result variable. */
async function callDecision(engine: Interpreter, element: ElementOf<'businessRuleTask'>, scope: Scope) {
  const { decisionId, resultVariable } = element.decision!;
  const instance = engine.nextInstance(element);
  const outcome = await engine.guard(element, instance, () =>
    ledger.evaluateDecision({
      ...engine.stepIdentity(element, instance),
      decisionId,
      variables: scope.context(),
    }),
  );
  return { [resultVariable]: outcome.output ?? null };
}

async function runUserTask(
  engine: Interpreter,
  element: ElementOf<'userTask'>,
  scope: Scope,
): Promise<Variables> {
  const instance = engine.nextInstance(element);
  let ruleReasons: string[] | undefined;
  if (element.rule) {
    const decided = await decideByRule(engine, element, `${instance}/rule`, scope.context());
    if (decided.decision !== 'manual') return decided;
    ruleReasons = decided.decisionReasons;
  }
  const dueDate = element.dueDate
    ? await engine.guard(element, instance, async () =>
        String(evaluateFeel(element.dueDate!, scope.context())),
      )
    : undefined;
  const assignee = element.assigneeExpression
    ? await engine.guard(element, instance, async () =>
        evaluateAssignee(element.assigneeExpression!, scope.context()),
      )
    : element.assignee;
  const task: OpenTask = {
    id: taskIdOf(engine.applicationId, engine.lastSeq),
    applicationId: engine.applicationId,
    processKey: engine.model.key,
    elementId: element.id,
    elementInstanceId: instance,
    name: element.name,
    candidateGroups: element.candidateGroups,
    ...(assignee ? { assignee } : {}),
    decisions: element.decisions,
    formFields: element.form,
    ruleReasons,
    dueDate,
    createdAt: new Date().toISOString(),
  };
  // Only these tasks could be carried over by continue-as-new at first, through one more `await`;
  // it stays so that recorded histories replay step for step.
  const plain = scope.parent === engine.root && element.boundaryEvents.length === 0 && !element.multiInstance;
  return plain
    ? awaited(() => completeUserTask(engine, element, task, scope))
    : completeUserTask(engine, element, task, scope);
}

async function awaited<T>(run: () => Promise<T>): Promise<T> {
  return await run();
}

/**
 * Waits for a clerk's valid completion of an open task, records it, and returns its variables.
 * `scope` is the task's own: while the task is open, continue-as-new can carry it over.
 */
export async function completeUserTask(
  engine: Interpreter,
  element: ElementOf<'userTask'>,
  task: OpenTask,
  scope: Scope,
): Promise<Variables> {
  const instance = task.elementInstanceId;
  const release = engine.parkBody(scope, () => ({ kind: 'userTask', instance, task }));
  let completion: CompleteTaskInput;
  try {
    completion = await engine.tasks.waitForCompletion(task, element);
  } finally {
    release();
  }
  const data = declaredData(element, completion.data ?? {});
  // The task checked the clerk's sub against its assignment; the trail types it.
  const actor = userActor(completion.actor);
  // An accepted completion wins, as in Camunda where completing a task is one atomic command: an
  // interrupting event that fires while it is being recorded does not cancel it.
  const recorded = await CancellationScope.nonCancellable(() =>
    engine.record(element, instance, actor, completion.decision, {
      decision: completion.decision,
      comment: completion.comment ?? null,
      data,
    }),
  );
  engine.tasks.finish(
    { taskId: task.id, decision: completion.decision, txId: recorded.txId, recordHash: recorded.hash },
    task,
    completion.actor,
  );
  return {
    ...data,
    decision: completion.decision,
    decidedBy: actor,
    comment: completion.comment ?? null,
  };
}

/** Service and send tasks: a handler by type, retried as modelled; a BPMN error goes to its catcher. */
async function runJob(
  engine: Interpreter,
  element: ElementOf<'serviceTask' | 'sendTask'>,
  scope: Scope,
): Promise<Variables> {
  const instance = engine.nextInstance(element);
  const output = await engine.guard(element, instance, async () => {
    try {
      return await runJobHandler(
        element,
        { applicationId: engine.applicationId, elementId: element.id, elementInstanceId: instance },
        scope.context(),
      );
    } catch (err) {
      const failure = err instanceof ActivityFailure ? err.cause : undefined;
      if (failure instanceof ApplicationFailure && failure.type === 'BpmnError') {
        const errorCode = String(failure.details?.[0] ?? '');
        const catcher = findCatcher(engine, { type: 'error', errorCode }, scope);
        // Uncaught, it stays an incident on this task (retryable), as in Camunda.
        if (catcher)
          throw new BpmnThrow(
            'error',
            errorCode,
            element.id,
            (failure.details?.[1] as Variables) ?? {},
            catcher.id,
          );
      }
      throw err;
    }
  });
  if (element.kind === 'serviceTask' && element.rule) {
    // The rule's evaluation is this step's record.
    return {
      ...output,
      ...(await decideByRule(engine, element, instance, { ...scope.context(), ...output })),
    };
  }
  await engine.record(element, instance, 'engine', 'completed', output);
  return output;
}

/** A child application of the called process (pinned with the parent at its start). */
async function runCallActivity(
  engine: Interpreter,
  element: ElementOf<'callActivity'>,
  scope: Scope,
): Promise<Variables> {
  const instance = engine.nextInstance(element);
  const childId = `${engine.applicationId}.c${engine.lastSeq}`;
  const result = await engine.guard(element, instance, async () => {
    const model = engine.input.calledModels?.[element.calledProcessKey];
    if (!model)
      throw new EngineIncident(
        `called process "${element.calledProcessKey}" was not deployed when the application started`,
      );
    return executeChild('applicationWorkflow', {
      workflowId: childId,
      args: [
        {
          applicationId: childId,
          model,
          data: element.inputs.length > 0 ? { ...scope.vars } : scope.context(),
          submittedBy: engine.input.submittedBy,
          calledModels: engine.input.calledModels,
        },
      ],
      memo: {
        processKey: model.key,
        version: model.version,
        definitionHash: model.hash,
        parentApplicationId: engine.applicationId,
      },
      typedSearchAttributes: [
        { key: GovProcessKey, value: model.key },
        { key: GovStatus, value: 'running' },
        { key: GovApplicant, value: engine.input.submittedBy },
      ],
    }) as Promise<ApplicationState>;
  });
  await engine.record(element, instance, 'engine', result.status, { childApplicationId: childId });
  return element.propagateAllChildVariables
    ? { ...result.variables, [`${element.id}Status`]: result.status }
    : {};
}

/** Marks histories whose task completions merge only the data their task declares. */
export const DECLARED_TASK_DATA_PATCH = 'declared-task-data';

/** The completion's data its task declares (the Update validator refused the rest already). */
function declaredData(element: ElementOf<'userTask'>, data: Variables): Variables {
  const undeclared = undeclaredData(element, data);
  if (undeclared.length === 0 || !patched(DECLARED_TASK_DATA_PATCH)) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !undeclared.includes(key)));
}
