// The token engine: walks a compiled process model with BPMN semantics. Every side effect (ledger
// records, handlers, messages) goes through activities; the rest is deterministic, so Temporal can
// replay it. Activities are in activity-runner.ts, events in events.ts.
import {
  CancellationScope,
  condition,
  isCancellation,
  patched,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { ElementOf, FlowElement, ProcessModel } from '../definitions/model.ts';
import { ledger } from './activity-proxies.ts';
import { runActivity } from './activity-runner.ts';
import {
  type Armed,
  type BodyWait,
  type ParkedWait,
  type ResumeState,
  type ScopeState,
} from './continue-as-new.ts';
import {
  type Interruption,
  listenEventSubProcess,
  resumeEventSubProcess,
  runEventSubProcess,
} from './event-subprocesses.ts';
import { enterEvent } from './events.ts';
import { Gateways } from './gateways.ts';
import { HumanTasks } from './human-tasks.ts';
import { restoreParts, resumeWait } from './resume.ts';
import { type Carry, Scope } from './scope.ts';
import { GovAwaitingSignals, GovStatus, GovTaskGroups, GovTaskUsers } from './search-attributes.ts';
import type { ApplicationInput, ApplicationState, Incident, Variables } from './state.ts';
import { BpmnThrow, EngineIncident, incidentMessage, isIncident, Terminate } from './throws.ts';
import { Waits } from './waits.ts';

/** The kinds of activity (everything else a token enters is a gateway or an event). */
const ACTIVITY_KINDS = [
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
] as const;

export type ActivityElement = ElementOf<(typeof ACTIVITY_KINDS)[number]>;

const ACTIVITY_KIND_SET = new Set<FlowElement['kind']>(ACTIVITY_KINDS);

/** Marks runs that check their model against the ledger first; recorded histories predate it. */
const CHECK_DEFINITION_PATCH = 'check-definition';

export class Interpreter {
  readonly model: ProcessModel;
  readonly tasks: HumanTasks;
  readonly waits: Waits;
  readonly root: Scope;
  readonly incidents: Incident[] = [];
  readonly gateways = new Gateways(this);
  private readonly startedAt: string;
  private endedAt?: string;
  private status: ApplicationState['status'] = 'running';
  private elementSeq = 0;
  private scopeSeq = 0;
  private tokenSeq = 0;
  private incidentSeq = 0;
  private readonly retried = new Set<string>();
  private readonly outcomes: string[] = [];
  /** Counts tokens parking at and leaving waits (see `moves`). */
  private parkings = 0;
  /** Event sub-processes by the id of their parent (undefined: the process), in model order. */
  private readonly eventSubProcessesOf = new Map<string | undefined, ElementOf<'subProcess'>[]>();
  /** Start events by the id of their (event) sub-process, in model order. */
  private readonly startsOf = new Map<string | undefined, ElementOf<'startEvent'>[]>();

  constructor(readonly input: ApplicationInput) {
    this.model = input.model;
    this.tasks = new HumanTasks(() => this.publish(), input.resume?.tasks);
    this.waits = new Waits(input.applicationId, () => this.publish());
    this.root = new Scope('root', undefined);
    for (const e of Object.values(this.model.elements)) {
      if (e.kind === 'subProcess' && e.triggeredByEvent) push(this.eventSubProcessesOf, e.parent, e);
      else if (e.kind === 'startEvent') push(this.startsOf, e.parent, e);
    }
    const resume = input.resume;
    this.startedAt = resume?.startedAt ?? new Date().toISOString();
    Object.assign(this.root.vars, resume ? resume.vars : input.data);
    if (resume) {
      this.elementSeq = resume.counters.element;
      this.scopeSeq = resume.counters.scope;
      this.tokenSeq = resume.counters.token;
      this.incidentSeq = resume.counters.incident;
      this.outcomes.push(...resume.outcomes);
      restoreParts(this.root, resume);
      for (const message of resume.delivered) this.waits.onMessage(message);
    }
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
      awaiting: this.waits.awaited(),
      variables: this.root.vars,
      submittedBy: this.input.submittedBy,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
    };
  }

  async run(): Promise<ApplicationState> {
    const resume = this.input.resume;
    // Before anything is decided: the model given must be the one the ledger registered.
    if (patched(CHECK_DEFINITION_PATCH)) await this.checkDefinition();
    if (resume) {
      this.publish();
      await this.runScope(this.root, [], resume.parked, resume.listeners);
    } else {
      const entry = this.input.startEventId ?? this.model.startEventId;
      if (!entry) throw new EngineIncident(`process ${this.model.key} has no start event to begin at`);
      await this.runScope(this.root, [entry]);
    }
    this.status = this.outcomes.includes('rejected') ? 'rejected' : 'completed';
    this.endedAt = new Date().toISOString();
    this.publish();
    return this.state;
  }

  // ---- scopes and tokens ----

  /**
   * Runs the tokens of a scope until all have ended, with its event sub-processes listening.
   * A terminate end event or an event sub-process that catches a throw ends it normally.
   * `resumed` and `armed`: the waits and start listeners a previous run left (continue-as-new).
   */
  async runScope(scope: Scope, entry: string[], resumed: ParkedWait[] = [], armed?: Armed[]): Promise<void> {
    const listeners = new CancellationScope();
    const interrupted: Interruption = {};
    for (const sub of this.eventSubProcesses(scope.ownerId)) {
      const carried = armed?.find((a) => a.id === sub.id);
      listeners
        .run(() => listenEventSubProcess(this, sub, scope, interrupted, carried))
        .catch(ignoreCancellation);
    }
    for (const id of entry) scope.spawn(() => this.runToken(id, scope));
    for (const wait of resumed)
      scope.spawn(() =>
        wait.kind === 'eventSubProcess'
          ? resumeEventSubProcess(this, wait, scope)
          : this.runToken(wait.elementId, scope, () => resumeWait(this, wait, scope)),
      );
    try {
      await scope.settled();
    } catch (err) {
      scope.cancellation.cancel();
      if (err instanceof Terminate && err.scopeId === scope.id) return;
      const catcher =
        err instanceof BpmnThrow ? this.eventSubProcessStartedBy(err.catcherId, scope) : undefined;
      if (catcher && err instanceof BpmnThrow) return runEventSubProcess(this, catcher, scope, err.variables);
      if (interrupted.by && isCancellation(err)) {
        return runEventSubProcess(this, interrupted.by.subProcess, scope, interrupted.by.payload);
      }
      throw err;
    } finally {
      listeners.cancel();
    }
  }

  /**
   * Moves one token from `elementId` until it ends; forks spawn sibling tokens in the scope.
   * `resume` takes the place of entering the first element (a wait carried over by continue-as-new).
   */
  async runToken(elementId: string, scope: Scope, resume?: () => Promise<string[]>): Promise<void> {
    const token = ++this.tokenSeq;
    try {
      scope.positions.set(token, elementId);
      let next = resume ? await resume() : await this.enter(this.model.elements[elementId], scope);
      while (next.length === 1) {
        scope.positions.set(token, next[0]);
        next = await this.enter(this.model.elements[next[0]], scope);
      }
      for (const id of next) scope.spawn(() => this.runToken(id, scope));
    } finally {
      scope.positions.delete(token);
    }
  }

  // ---- continue-as-new (see continue-as-new.ts) ----

  /**
   * Changes whenever a token parks at or leaves a wait, or a wait takes its message or signal:
   * continue-as-new carries nothing over if this moved since it found everything waiting.
   */
  get moves(): number {
    return this.parkings + this.waits.takes;
  }

  /** Counts one token (or event sub-process instance) of `scope` as waiting where `carry` says, until released. */
  park(scope: Scope, carry: Carry): () => void {
    scope.waits.add(carry);
    this.parkings += 1;
    return () => {
      scope.waits.delete(carry);
      this.parkings += 1;
    };
  }

  /** Runs `until` with its token parked (see `park`). */
  async parkedWhile<T>(scope: Scope, carry: Carry, until: () => Promise<T>): Promise<T> {
    const release = this.park(scope, carry);
    try {
      return await until();
    } finally {
      release();
    }
  }

  /** The activity `scope` executes waits where `body` says, until released. */
  parkBody(scope: Scope, body: () => BodyWait | undefined): () => void {
    scope.body = body;
    this.parkings += 1;
    return () => {
      if (scope.body === body) scope.body = undefined;
      this.parkings += 1;
    };
  }

  /** What a new run takes up: `root`, the process scope's state readyToContinueAsNew just gave. */
  snapshot(root: ScopeState): ResumeState {
    return {
      vars: root.vars,
      parked: root.parked,
      joins: root.joins,
      compensable: root.compensable,
      listeners: root.listeners,
      counters: {
        element: this.elementSeq,
        scope: this.scopeSeq,
        token: this.tokenSeq,
        incident: this.incidentSeq,
      },
      outcomes: [...this.outcomes],
      startedAt: this.startedAt,
      delivered: this.waits.pendingMessages(),
      runs: (this.input.resume?.runs ?? 0) + 1,
      tasks: this.tasks.carried(),
    };
  }

  private async enter(element: FlowElement, scope: Scope): Promise<string[]> {
    if (ACTIVITY_KIND_SET.has(element.kind)) return runActivity(this, element as ActivityElement, scope);
    if (element.kind.endsWith('Gateway')) return this.gateways.enter(element, scope);
    return enterEvent(this, element, scope);
  }

  // ---- event sub-processes ----

  eventSubProcesses(ownerId: string | undefined): readonly ElementOf<'subProcess'>[] {
    return this.eventSubProcessesOf.get(ownerId) ?? [];
  }

  startOf(subProcessId: string): ElementOf<'startEvent'> {
    return this.startsOf.get(subProcessId)?.[0] as ElementOf<'startEvent'>;
  }

  /** The none start event of an embedded sub-process. */
  noneStartOf(subProcessId: string): ElementOf<'startEvent'> | undefined {
    return this.startsOf.get(subProcessId)?.find((e) => e.trigger.type === 'none');
  }

  private eventSubProcessStartedBy(startId: string | undefined, scope: Scope) {
    return this.eventSubProcesses(scope.ownerId).find((sub) => this.startOf(sub.id).id === startId);
  }

  // ---- helpers used by activities and events ----

  newScope(ownerId: string, parent: Scope): Scope {
    return new Scope(`${ownerId}~${++this.scopeSeq}`, ownerId, parent);
  }

  targets(element: FlowElement): string[] {
    return element.outgoing.map((flowId) => this.model.flows[flowId].target);
  }

  /**
   * Checks the model this run was given against the ledger's hashes of its definition; a mismatch
   * (a stored model edited after deployment) is an incident at the entry, and nothing moves.
   */
  private async checkDefinition(): Promise<void> {
    const entryId = this.input.startEventId ?? this.model.startEventId;
    const entry = (entryId && this.model.elements[entryId]) || Object.values(this.model.elements)[0];
    if (!entry) return;
    await this.guard(entry, `${entry.id}#definition`, () =>
      ledger.checkDefinition({
        definitionKey: this.model.key,
        definitionVersion: this.model.version,
        definitionHash: this.model.hash,
        model: this.model,
      }),
    );
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
      definitionVersion: this.model.version,
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

  /** Mirrors status, open and completed tasks and awaited signals into search attributes and memo. */
  publish(): void {
    if (this.status === 'running' || this.status === 'incident') {
      this.status = this.incidents.length > 0 ? 'incident' : 'running';
    }
    const groups = this.tasks.groups();
    const users = this.tasks.users();
    const signals = this.waits.awaitedSignals();
    upsertSearchAttributes([
      { key: GovStatus, value: this.status },
      { key: GovTaskGroups, value: groups.length > 0 ? groups : null },
      { key: GovTaskUsers, value: users.length > 0 ? users : null },
      { key: GovAwaitingSignals, value: signals.length > 0 ? signals : null },
    ]);
    upsertMemo({
      openTasks: this.tasks.open,
      completedTasks: this.tasks.completed,
      incidents: this.incidents,
    });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function ignoreCancellation(err: unknown): void {
  if (!isCancellation(err)) throw err;
}
