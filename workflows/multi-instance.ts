// Multi-instance activities: one execution of the activity per item of a collection, one after
// the other or all at once, until all are done or the completion condition holds.
import { CancellationScope, isCancellation } from '@temporalio/workflow';
import { runBody } from './activity-kinds.ts';
import { applyInputs } from './activity-runner.ts';
import { type BodyWait, bodyState } from './continue-as-new.ts';
import { evaluateCondition, evaluateFeel } from './feel.ts';
import type { ActivityElement, Interpreter } from './interpreter.ts';
import { restoreScope } from './resume.ts';
import type { Scope } from './scope.ts';
import type { Variables } from './state.ts';
import { EngineIncident } from './throws.ts';

type MultiInstanceWait = BodyWait & { kind: 'multiInstance' };
type InstanceWait = MultiInstanceWait['instances'][number];

/**
 * Runs every instance of a multi-instance activity; collects `outputElement` into `outputCollection`.
 * `carried`: the instances a previous run left waiting (continue-as-new).
 */
export async function runMultiInstance(
  engine: Interpreter,
  element: ActivityElement,
  scope: Scope,
  carried?: MultiInstanceWait,
): Promise<Variables> {
  const mi = element.multiInstance!;
  const items = carried
    ? carried.items
    : await engine.guard(element, `${element.id}#collection`, async () => {
        const value = evaluateFeel(mi.inputCollection, scope.context());
        if (!Array.isArray(value))
          throw new EngineIncident(
            `inputCollection \`${mi.inputCollection}\` of ${element.id} is not a list`,
          );
        return value;
      });
  const outputs: unknown[] = carried ? [...carried.outputs] : items.map(() => null);
  let completed = carried?.completed ?? 0;
  let done = false;
  const running = new Map<number, Scope>();
  const release = engine.parkBody(scope, () =>
    done ? undefined : waiting(engine, running, { kind: 'multiInstance', items, outputs, completed }),
  );
  const runOne = async (item: unknown, index: number, resumed?: InstanceWait) => {
    const instance = resumed
      ? restoreScope(resumed.scope, element.id, scope)
      : engine.newScope(element.id, scope);
    running.set(index, instance);
    try {
      let result: Variables;
      if (resumed) result = await runBody(engine, element, instance, resumed.body, resumed.scope);
      else {
        if (mi.inputElement) instance.vars[mi.inputElement] = item;
        instance.vars.loopCounter = index + 1;
        // As in Zeebe: each instance maps its inputs once its item is set.
        await applyInputs(engine, element, instance);
        result = await runBody(engine, element, instance);
      }
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
    } finally {
      running.delete(index);
    }
  };
  try {
    if (mi.sequential) {
      const current = carried?.instances[0];
      if (current) await runOne(items[current.index], current.index, current);
      for (let i = current ? current.index + 1 : 0; i < items.length && !done; i++) await runOne(items[i], i);
    } else {
      const group = new CancellationScope();
      const started: [unknown, number, InstanceWait?][] = carried
        ? carried.instances.map((w) => [items[w.index], w.index, w])
        : items.map((item, i) => [item, i]);
      await Promise.all(
        started.map(([item, i, resumed]) =>
          group
            .run(() => runOne(item, i, resumed))
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
  } finally {
    release();
  }
}

/** The running instances, each at a wait a new run can take up; undefined while one is not. */
function waiting(
  engine: Interpreter,
  running: Map<number, Scope>,
  progress: Omit<MultiInstanceWait, 'instances'>,
): MultiInstanceWait | undefined {
  if (running.size === 0) return undefined;
  const instances: InstanceWait[] = [];
  for (const [index, instance] of running) {
    const wait = bodyState(engine, instance);
    if (!wait) return undefined;
    instances.push({ index, scope: wait.scope, body: wait.body });
  }
  return { ...progress, outputs: [...progress.outputs], instances };
}
