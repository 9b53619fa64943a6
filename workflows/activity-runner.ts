// Activities: tasks, sub-processes and call activities, with their boundary events, input/output
// mappings and multi-instance. Each execution gets a scope of its own so that an interrupting
// boundary event can cancel exactly it.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  executeChild,
  isCancellation,
  proxyActivities,
  sleep,
} from '@temporalio/workflow';
import type { GovflowActivities } from '../activities/index.ts';
import type { ElementOf, Mapping } from '../definitions/model.ts';
import { findCatcher } from './events.ts';
import { evaluateCondition, evaluateFeel } from './feel.ts';
import { type ActivityElement, type Interpreter, ignoreCancellation, ledger } from './interpreter.ts';
import type { Scope } from './scope.ts';
import { GovApplicant, GovProcessKey, GovStatus } from './search-attributes.ts';
import type { ApplicationState, OpenTask, Variables } from './state.ts';
import { taskIdOf } from './state.ts';
import { BpmnThrow, EngineIncident } from './throws.ts';

type Boundary = ElementOf<'boundaryEvent'>;

/** Executes an activity where a token reached it; returns where the token goes next. */
export async function runActivity(
  engine: Interpreter,
  element: ActivityElement,
  scope: Scope,
): Promise<string[]> {
  const boundaries = element.boundaryEvents.map((id) => engine.model.elements[id] as Boundary);
  const listeners = new CancellationScope();
  const body = new CancellationScope();
  let inner: Scope | undefined;
  let interruptedBy: { boundary: Boundary; payload: Variables } | undefined;
  for (const boundary of boundaries.filter((b) => ['timer', 'message', 'signal'].includes(b.trigger.type))) {
    listeners
      .run(() =>
        listen(
          engine,
          boundary,
          () => inner?.context() ?? scope.context(),
          scope,
          (payload) => {
            interruptedBy = { boundary, payload };
            body.cancel();
          },
        ),
      )
      .catch(ignoreCancellation);
  }
  let result: Variables;
  try {
    result = await body.run(async () => {
      // Created inside `body` so that cancelling the body cancels the scope's tokens too.
      inner = engine.newScope(element.id, scope);
      const local = inner;
      await engine.guard(element, `${element.id}#inputs`, async () =>
        applyMappings(element.inputs, local, local),
      );
      return element.multiInstance
        ? runMultiInstance(engine, element, inner)
        : runBody(engine, element, inner);
    });
  } catch (err) {
    const thrown = err instanceof BpmnThrow && boundaries.find((b) => b.id === err.catcherId);
    if (thrown && err instanceof BpmnThrow) {
      scope.setAll(err.variables);
      return leaveBy(engine, thrown, scope, {});
    }
    if (interruptedBy && isCancellation(err))
      return leaveBy(engine, interruptedBy.boundary, scope, interruptedBy.payload);
    throw err;
  } finally {
    listeners.cancel();
  }
  if (element.outputs.length > 0) {
    await engine.guard(element, `${element.id}#outputs`, async () =>
      applyMappings(element.outputs, inner!, scope, result),
    );
  } else scope.setAll(result);
  const compensation = boundaries.find((b) => b.trigger.type === 'compensation' && b.compensationHandler);
  if (compensation)
    scope.compensable.push({
      activityId: element.id,
      handlerId: compensation.compensationHandler!,
      scope: inner!,
    });
  return engine.targets(element);
}

/** A boundary event fired: record it and continue along its outgoing flows. */
async function leaveBy(
  engine: Interpreter,
  boundary: Boundary,
  scope: Scope,
  payload: Variables,
): Promise<string[]> {
  scope.setAll(payload);
  await engine.record(boundary, engine.nextInstance(boundary), 'engine', 'triggered', payload);
  return engine.targets(boundary);
}

/** Listens for a timer/message/signal boundary event while its activity runs. */
async function listen(
  engine: Interpreter,
  boundary: Boundary,
  context: () => Variables,
  scope: Scope,
  interrupt: (payload: Variables) => void,
): Promise<void> {
  const trigger = boundary.trigger;
  const alongside = (payload: Variables) =>
    scope.spawn(async () => {
      scope.setAll(payload);
      await engine.record(boundary, engine.nextInstance(boundary), 'engine', 'triggered', payload);
      for (const target of engine.targets(boundary)) scope.spawn(() => engine.runToken(target, scope));
    });
  if (trigger.type === 'timer' && trigger.timer.kind === 'cycle' && !boundary.interrupting) {
    // A non-interrupting cycle fires on each repetition for as long as the activity runs.
    let elapsed = 0;
    const delays = await engine.guard(boundary, `${boundary.id}#timer`, async () =>
      engine.waits.timerDelays(trigger, context()),
    );
    for (const at of delays) {
      await sleep(Math.max(0, at - elapsed));
      elapsed = at;
      alongside({});
    }
    return;
  }
  for (let occurrence = 1; ; occurrence++) {
    const subscription = `${boundary.id}@${engine.lastSeq}/${occurrence}`;
    const payload = await engine.guard(boundary, subscription, () =>
      engine.waits.waitFor(trigger, context(), subscription),
    );
    if (boundary.interrupting) return interrupt(payload);
    alongside(payload);
    if (trigger.type === 'timer') return;
  }
}

/** Runs every instance of a multi-instance activity; collects `outputElement` into `outputCollection`. */
async function runMultiInstance(
  engine: Interpreter,
  element: ActivityElement,
  scope: Scope,
): Promise<Variables> {
  const mi = element.multiInstance!;
  const items = await engine.guard(element, `${element.id}#collection`, async () => {
    const value = evaluateFeel(mi.inputCollection, scope.context());
    if (!Array.isArray(value))
      throw new EngineIncident(`inputCollection \`${mi.inputCollection}\` of ${element.id} is not a list`);
    return value;
  });
  const outputs: unknown[] = items.map(() => null);
  let completed = 0;
  let done = false;
  const runOne = async (item: unknown, index: number) => {
    const instance = engine.newScope(element.id, scope);
    if (mi.inputElement) instance.vars[mi.inputElement] = item;
    instance.vars.loopCounter = index + 1;
    const result = await runBody(engine, element, instance);
    if (mi.outputElement)
      outputs[index] = evaluateFeel(mi.outputElement, { ...instance.context(), ...result });
    completed += 1;
    if (mi.completionCondition) {
      const counts = {
        numberOfInstances: items.length,
        numberOfCompletedInstances: completed,
        numberOfActiveInstances: items.length - completed,
      };
      done = evaluateCondition(mi.completionCondition, { ...scope.context(), ...counts });
    }
  };
  if (mi.sequential) {
    for (let i = 0; i < items.length && !done; i++) await runOne(items[i], i);
  } else {
    const group = new CancellationScope();
    await Promise.all(
      items.map((item, i) =>
        group
          .run(() => runOne(item, i))
          .then(() => {
            if (done) group.cancel();
          })
          .catch((err) => {
            if (!(done && isCancellation(err))) throw err; // instances cut short by the completion condition
          }),
      ),
    );
  }
  return mi.outputCollection ? { [mi.outputCollection]: outputs } : {};
}

/** One execution of the activity itself; returns the variables it produced. */
async function runBody(engine: Interpreter, element: ActivityElement, scope: Scope): Promise<Variables> {
  switch (element.kind) {
    case 'userTask':
      return runUserTask(engine, element, scope);
    case 'serviceTask':
    case 'sendTask':
      return runJob(engine, element, scope);
    case 'businessRuleTask':
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
      const instance = engine.nextInstance(element);
      const trigger = element.trigger;
      const payload = await engine.guard(element, instance, () =>
        engine.waits.waitFor(trigger, scope.context(), instance),
      );
      await engine.record(element, instance, 'engine', 'received', payload);
      return payload;
    }
    case 'manualTask':
    case 'task':
      await engine.record(element, engine.nextInstance(element), 'engine', 'completed');
      return {};
    case 'subProcess': {
      const start = Object.values(engine.model.elements).find(
        (e) => e.kind === 'startEvent' && e.parent === element.id && e.trigger.type === 'none',
      );
      if (!start) throw new EngineIncident(`sub-process ${element.id} has no none start event`);
      await engine.runScope(scope, [start.id]);
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
  const result = await engine.guard(element, instance, () =>
    ledger.evaluateRule({ ...engine.stepIdentity(element, instance), rule, variables }),
  );
  return { decision: result.decision, decidedBy: `contract:${rule.id}`, decisionReasons: result.reasons };
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
  const task: OpenTask = {
    id: taskIdOf(engine.applicationId, engine.lastSeq),
    applicationId: engine.applicationId,
    processKey: engine.model.key,
    elementId: element.id,
    elementInstanceId: instance,
    name: element.name,
    candidateGroups: element.candidateGroups,
    decisions: element.decisions,
    formFields: element.form,
    ruleReasons,
    dueDate,
    createdAt: new Date().toISOString(),
  };
  const completion = await engine.tasks.waitForCompletion(task, element);
  const data = completion.data ?? {};
  const recorded = await engine.record(element, instance, completion.actor, completion.decision, {
    decision: completion.decision,
    comment: completion.comment ?? null,
    data,
  });
  engine.tasks.finish({
    taskId: task.id,
    decision: completion.decision,
    txId: recorded.txId,
    recordHash: recorded.hash,
  });
  return {
    ...data,
    decision: completion.decision,
    decidedBy: completion.actor,
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
  const handlers = proxyActivities<GovflowActivities>({
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: '1 second',
      maximumAttempts: Math.max(1, element.retries),
      nonRetryableErrorTypes: ['BpmnError'],
    },
  });
  const output = await engine.guard(element, instance, async () => {
    try {
      return await handlers.runServiceTask({
        taskType: element.taskType,
        applicationId: engine.applicationId,
        elementId: element.id,
        elementInstanceId: instance,
        variables: scope.context(),
        headers: element.headers,
      });
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

/** Evaluates mappings in `from`'s context (plus extra values) and sets each target on `to`. */
function applyMappings(mappings: Mapping[], from: Scope, to: Scope, extra: Variables = {}): void {
  const context = { ...from.context(), ...extra };
  for (const m of mappings) {
    const value = evaluateFeel(m.source, context);
    if (to === from) to.vars[m.target] = value;
    else to.set(m.target, value);
  }
}
