// The token engine: walks a compiled process model with BPMN semantics. Every side effect (ledger
// records, handlers, messages) goes through activities; the rest is deterministic, so Temporal can
// replay it. Activities are in activity-runner.ts, events in events.ts.
import {
  ActivityFailure,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  isCancellation,
  proxyActivities,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { GovflowActivities } from '../activities/index.ts';
import type { ElementOf, FlowElement, ProcessModel } from '../definitions/model.ts';
import { runActivity } from './activity-runner.ts';
import { enterEvent } from './events.ts';
import { evaluateCondition, FeelError } from './feel.ts';
import { HumanTasks } from './human-tasks.ts';
import { Scope } from './scope.ts';
import { GovAwaitingSignals, GovStatus, GovTaskGroups } from './search-attributes.ts';
import type { ApplicationInput, ApplicationState, Incident, Variables } from './state.ts';
import { BpmnThrow, EngineIncident, Terminate } from './throws.ts';
import { Waits } from './waits.ts';

// Ledger calls retry until they succeed: a step must be recorded, however long the ledger is away.
// Only errors the contract marks non-retryable (bad input) surface, as an incident.
export const ledger = proxyActivities<GovflowActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '20 seconds' },
});

const ACTIVITY_KINDS = new Set<FlowElement['kind']>([
  'userTask',
  'serviceTask',
  'sendTask',
  'businessRuleTask',
  'scriptTask',
  'receiveTask',
  'manualTask',
  'task',
  'subProcess',
  'callActivity',
]);

export type ActivityElement = Extract<
  FlowElement,
  {
    kind:
      | 'userTask'
      | 'serviceTask'
      | 'sendTask'
      | 'businessRuleTask'
      | 'scriptTask'
      | 'receiveTask'
      | 'manualTask'
      | 'task'
      | 'subProcess'
      | 'callActivity';
  }
>;

export class Interpreter {
  readonly model: ProcessModel;
  readonly tasks: HumanTasks;
  readonly waits: Waits;
  readonly root: Scope;
  readonly incidents: Incident[] = [];
  private readonly startedAt = new Date().toISOString();
  private endedAt?: string;
  private status: ApplicationState['status'] = 'running';
  private elementSeq = 0;
  private scopeSeq = 0;
  private tokenSeq = 0;
  private incidentSeq = 0;
  private readonly retried = new Set<string>();
  private readonly outcomes: string[] = [];
  private readonly reach = new Map<string, boolean>();

  constructor(readonly input: ApplicationInput) {
    this.model = input.model;
    this.tasks = new HumanTasks(() => this.publish());
    this.waits = new Waits(input.applicationId, () => this.publish());
    this.root = new Scope('root', undefined);
    Object.assign(this.root.vars, input.data);
  }

  get applicationId(): string {
    return this.input.applicationId;
  }

  get state(): ApplicationState {
    return {
      applicationId: this.applicationId,
      processKey: this.model.key,
      version: this.model.version,
      definitionHash: this.model.hash,
      status: this.status,
      openTasks: [...this.tasks.open],
      incidents: [...this.incidents],
      variables: this.root.vars,
      submittedBy: this.input.submittedBy,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
    };
  }

  async run(): Promise<ApplicationState> {
    const entry = this.input.startEventId ?? this.model.startEventId;
    if (!entry) throw new EngineIncident(`process ${this.model.key} has no start event to begin at`);
    await this.runScope(this.root, [entry]);
    this.status = this.outcomes.includes('rejected') ? 'rejected' : 'completed';
    this.endedAt = new Date().toISOString();
    this.publish();
    return this.state;
  }

  // ---- scopes and tokens ----

  /**
   * Runs the tokens of a scope until all have ended, with its event sub-processes listening.
   * A terminate end event or an event sub-process that catches a throw ends it normally.
   */
  async runScope(scope: Scope, entry: string[]): Promise<void> {
    const listeners = new CancellationScope();
    const interrupted: { by?: { subProcess: ElementOf<'subProcess'>; payload: Variables } } = {};
    for (const sub of this.eventSubProcesses(scope.ownerId)) {
      listeners.run(() => this.listenEventSubProcess(sub, scope, interrupted)).catch(ignoreCancellation);
    }
    for (const id of entry) scope.spawn(() => this.runToken(id, scope));
    try {
      await scope.settled();
    } catch (err) {
      scope.cancellation.cancel();
      if (err instanceof Terminate && err.scopeId === scope.id) return;
      const catcher =
        err instanceof BpmnThrow ? this.eventSubProcessStartedBy(err.catcherId, scope) : undefined;
      if (catcher && err instanceof BpmnThrow) return this.runEventSubProcess(catcher, scope, err.variables);
      if (interrupted.by && isCancellation(err)) {
        return this.runEventSubProcess(interrupted.by.subProcess, scope, interrupted.by.payload);
      }
      throw err;
    } finally {
      listeners.cancel();
    }
  }

  /** Moves one token from `elementId` until it ends; forks spawn sibling tokens in the scope. */
  async runToken(elementId: string, scope: Scope): Promise<void> {
    const token = ++this.tokenSeq;
    try {
      let next = [elementId];
      while (next.length === 1) {
        scope.positions.set(token, next[0]);
        next = await this.enter(this.model.elements[next[0]], scope);
      }
      for (const id of next) scope.spawn(() => this.runToken(id, scope));
    } finally {
      scope.positions.delete(token);
    }
  }

  private async enter(element: FlowElement, scope: Scope): Promise<string[]> {
    if (ACTIVITY_KINDS.has(element.kind)) return runActivity(this, element as ActivityElement, scope);
    switch (element.kind) {
      case 'exclusiveGateway':
        return element.outgoing.length > 1
          ? [await this.chooseExclusive(element, scope)]
          : this.targets(element);
      case 'inclusiveGateway':
        if (element.incoming.length > 1 && !(await this.joinInclusive(element, scope))) return [];
        return element.outgoing.length > 1 ? this.chooseInclusive(element, scope) : this.targets(element);
      case 'parallelGateway':
        return this.joinParallel(element, scope) ? this.targets(element) : [];
      case 'eventBasedGateway':
        return this.raceEvents(element, scope);
      default:
        return enterEvent(this, element, scope);
    }
  }

  // ---- gateways ----

  private chooseExclusive(element: ElementOf<'exclusiveGateway'>, scope: Scope): Promise<string> {
    return this.guard(element, `${element.id}#gateway`, async () => {
      const context = scope.context();
      const taken = element.outgoing.find((id) => id !== element.defaultFlow && this.flowHolds(id, context));
      const flow = taken ?? element.defaultFlow;
      if (!flow)
        throw new EngineIncident(
          `no outgoing flow of gateway "${element.id}" matched and it has no default flow`,
        );
      return this.model.flows[flow].target;
    });
  }

  private chooseInclusive(element: ElementOf<'inclusiveGateway'>, scope: Scope): Promise<string[]> {
    return this.guard(element, `${element.id}#gateway`, async () => {
      const context = scope.context();
      const taken = element.outgoing.filter(
        (id) => id !== element.defaultFlow && this.flowHolds(id, context),
      );
      if (taken.length === 0 && element.defaultFlow) taken.push(element.defaultFlow);
      if (taken.length === 0)
        throw new EngineIncident(
          `no outgoing flow of gateway "${element.id}" matched and it has no default flow`,
        );
      return taken.map((id) => this.model.flows[id].target);
    });
  }

  private flowHolds(flowId: string, context: Variables): boolean {
    const condition = this.model.flows[flowId].condition;
    return !condition || evaluateCondition(condition, context);
  }

  private joinParallel(element: ElementOf<'parallelGateway'>, scope: Scope): boolean {
    if (element.incoming.length <= 1) return true;
    const arrived = (scope.joinArrivals.get(element.id) ?? 0) + 1;
    if (arrived < element.incoming.length) {
      scope.joinArrivals.set(element.id, arrived);
      return false;
    }
    scope.joinArrivals.delete(element.id);
    return true;
  }

  /**
   * An inclusive join fires once no other token of the scope can still reach it; the first token
   * to arrive waits for that, later ones merge into it.
   */
  private async joinInclusive(element: ElementOf<'inclusiveGateway'>, scope: Scope): Promise<boolean> {
    if (scope.inclusiveWaits.has(element.id)) {
      scope.inclusiveWaits.set(element.id, scope.inclusiveWaits.get(element.id)! + 1);
      return false;
    }
    scope.inclusiveWaits.set(element.id, 1);
    await condition(() => !scope.occupied().some((at) => at !== element.id && this.canReach(at, element.id)));
    scope.inclusiveWaits.delete(element.id);
    return true;
  }

  /** Whether a token at `from` can still arrive at `to` (boundary events count as ways out). */
  private canReach(from: string, to: string): boolean {
    const key = `${from}>${to}`;
    if (!this.reach.has(key)) {
      const seen = new Set<string>();
      const queue = [from];
      let found = false;
      while (queue.length > 0 && !found) {
        const element = this.model.elements[queue.shift()!];
        for (const next of [...this.targets(element), ...element.boundaryEvents]) {
          if (next === to) found = true;
          else if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      this.reach.set(key, found);
    }
    return this.reach.get(key)!;
  }

  /** Event-based gateway: the first of the following events to happen wins; the others are dropped. */
  private async raceEvents(element: ElementOf<'eventBasedGateway'>, scope: Scope): Promise<string[]> {
    const instance = this.nextInstance(element);
    const candidates = this.targets(element).map((id) => this.model.elements[id]);
    const race = new CancellationScope();
    const winner = await race.run(() =>
      Promise.race(
        candidates.map(async (candidate) => {
          if (!('trigger' in candidate))
            throw new EngineIncident(`${candidate.id} cannot follow an event-based gateway`);
          const payload = await this.guard(candidate, instance, () =>
            this.waits.waitFor(candidate.trigger, scope.context(), `${instance}/${candidate.id}`),
          );
          return { candidate, payload };
        }),
      ),
    );
    race.cancel();
    scope.setAll(winner.payload);
    await this.record(
      winner.candidate,
      this.nextInstance(winner.candidate),
      'engine',
      'triggered',
      winner.payload,
    );
    return this.targets(winner.candidate);
  }

  // ---- event sub-processes ----

  eventSubProcesses(ownerId: string | undefined): ElementOf<'subProcess'>[] {
    return Object.values(this.model.elements).filter(
      (e): e is ElementOf<'subProcess'> =>
        e.kind === 'subProcess' && e.triggeredByEvent && e.parent === ownerId,
    );
  }

  startOf(subProcessId: string): ElementOf<'startEvent'> {
    return Object.values(this.model.elements).find(
      (e): e is ElementOf<'startEvent'> => e.kind === 'startEvent' && e.parent === subProcessId,
    )!;
  }

  private eventSubProcessStartedBy(startId: string | undefined, scope: Scope) {
    return this.eventSubProcesses(scope.ownerId).find((sub) => this.startOf(sub.id).id === startId);
  }

  private async listenEventSubProcess(
    sub: ElementOf<'subProcess'>,
    scope: Scope,
    interrupted: { by?: { subProcess: ElementOf<'subProcess'>; payload: Variables } },
  ): Promise<void> {
    const start = this.startOf(sub.id);
    if (!['timer', 'message', 'signal'].includes(start.trigger.type)) return; // errors/escalations are thrown to it
    for (let occurrence = 1; ; occurrence++) {
      const payload = await this.waits.waitFor(
        start.trigger,
        scope.context(),
        `${sub.id}@${scope.id}/${occurrence}`,
      );
      if (start.interrupting) {
        interrupted.by = { subProcess: sub, payload };
        scope.cancellation.cancel();
        return;
      }
      scope.spawn(() => this.runEventSubProcess(sub, scope, payload));
      if (start.trigger.type === 'timer' && start.trigger.timer.kind !== 'cycle') return;
    }
  }

  async runEventSubProcess(sub: ElementOf<'subProcess'>, scope: Scope, payload: Variables): Promise<void> {
    const inner = this.newScope(sub.id, scope);
    Object.assign(inner.vars, payload);
    const start = this.startOf(sub.id);
    await this.record(start, this.nextInstance(start), 'engine', 'triggered', payload);
    await this.runScope(inner, this.targets(start));
  }

  // ---- helpers used by activities and events ----

  newScope(ownerId: string, parent: Scope): Scope {
    return new Scope(`${ownerId}~${++this.scopeSeq}`, ownerId, parent);
  }

  targets(element: FlowElement): string[] {
    return element.outgoing.map((flowId) => this.model.flows[flowId].target);
  }

  nextInstance(element: FlowElement): string {
    this.elementSeq += 1;
    return `${element.id}#${this.elementSeq}`;
  }

  get lastSeq(): number {
    return this.elementSeq;
  }

  addOutcome(outcome: string): void {
    this.outcomes.push(outcome);
  }

  stepIdentity(element: FlowElement, elementInstanceId: string) {
    return {
      applicationId: this.applicationId,
      elementId: element.id,
      elementInstanceId,
      elementName: element.name,
      definitionKey: this.model.key,
      definitionHash: this.model.hash,
    };
  }

  record(element: FlowElement, instance: string, actor: string, decision: string, data: Variables = {}) {
    return this.guard(element, instance, () =>
      ledger.recordStep({ ...this.stepIdentity(element, instance), actor, decision, data }),
    );
  }

  retryIncident(incidentId: string): void {
    this.retried.add(incidentId);
  }

  /**
   * Runs a step; when it fails for good (activity out of retries, FEEL error, no matching flow) the
   * application shows an incident and this waits until an operator retries it.
   */
  async guard<T>(element: FlowElement, instance: string, step: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await step();
      } catch (err) {
        if (isCancellation(err) || !isIncident(err)) throw err;
        const incident: Incident = {
          id: `inc-${++this.incidentSeq}`,
          elementId: element.id,
          elementInstanceId: instance,
          message: incidentMessage(err),
          createdAt: new Date().toISOString(),
        };
        this.incidents.push(incident);
        this.publish();
        try {
          await condition(() => this.retried.has(incident.id));
        } finally {
          this.incidents.splice(this.incidents.indexOf(incident), 1);
          this.publish();
        }
      }
    }
  }

  /** Mirrors status, open tasks and awaited signals into search attributes and memo. */
  publish(): void {
    if (this.status === 'running' || this.status === 'incident') {
      this.status = this.incidents.length > 0 ? 'incident' : 'running';
    }
    const groups = this.tasks.groups();
    const signals = this.waits.awaitedSignals();
    upsertSearchAttributes([
      { key: GovStatus, value: this.status },
      { key: GovTaskGroups, value: groups.length > 0 ? groups : null },
      { key: GovAwaitingSignals, value: signals.length > 0 ? signals : null },
    ]);
    upsertMemo({ openTasks: this.tasks.open, incidents: this.incidents });
  }
}

function isIncident(err: unknown): boolean {
  return (
    err instanceof ActivityFailure ||
    err instanceof ChildWorkflowFailure ||
    err instanceof FeelError ||
    err instanceof EngineIncident
  );
}

function incidentMessage(err: unknown): string {
  if (err instanceof ActivityFailure || err instanceof ChildWorkflowFailure)
    return err.cause?.message ?? err.message;
  return (err as Error).message;
}

export function ignoreCancellation(err: unknown): void {
  if (!isCancellation(err)) throw err;
}
