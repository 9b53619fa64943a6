// The token engine: walks a compiled process model with BPMN semantics. Every side effect
// (ledger records, service-task handlers) goes through activities; everything else here is
// deterministic so Temporal can replay it.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  proxyActivities,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { GovflowActivities } from '../activities/index.ts';
import { validateForm } from '../definitions/forms.ts';
import type { FlowElement, ProcessModel, ServiceTaskElement, UserTaskElement } from '../definitions/model.ts';
import { evaluateCondition, evaluateFeel, FeelError } from './feel.ts';
import { GovStatus, GovTaskGroups } from './search-attributes.ts';
import {
  type ApplicationInput,
  type ApplicationState,
  type CompleteTaskInput,
  type CompleteTaskResult,
  type Incident,
  type OpenTask,
  TaskRejection,
  taskIdOf,
} from './state.ts';

// Ledger calls retry until they succeed: a step must be recorded, however long the ledger is away.
// Only errors the contract marks non-retryable (bad input) surface, as an incident.
const ledger = proxyActivities<GovflowActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '20 seconds' },
});

/** Thrown by the engine itself when a model cannot go on (e.g. no flow matched); becomes an incident. */
class EngineIncident extends Error {}

export class Interpreter {
  readonly state: ApplicationState;
  private readonly model: ProcessModel;
  private elementSeq = 0;
  private incidentSeq = 0;
  private readonly joinArrivals = new Map<string, number>();
  private readonly completions = new Map<string, CompleteTaskInput>();
  private readonly results = new Map<string, CompleteTaskResult>();
  private readonly retried = new Set<string>();
  private readonly outcomes: string[] = [];

  constructor(input: ApplicationInput) {
    this.model = input.model;
    this.state = {
      applicationId: input.applicationId,
      processKey: input.model.key,
      version: input.model.version,
      definitionHash: input.model.hash,
      status: 'running',
      openTasks: [],
      incidents: [],
      variables: { ...input.data },
      submittedBy: input.submittedBy,
      startedAt: new Date().toISOString(),
    };
  }

  async run(): Promise<ApplicationState> {
    await this.runFrom(this.model.startEventId);
    this.state.status = this.outcomes.includes('rejected') ? 'rejected' : 'completed';
    this.state.endedAt = new Date().toISOString();
    this.publish();
    return this.state;
  }

  // ---- task completion (called from the workflow's Update handler) ----

  /** Rejects a completion before anything is written; runs in the Update validator. */
  validateCompletion(input: CompleteTaskInput): void {
    const task = this.state.openTasks.find((t) => t.id === input.taskId);
    if (!task || this.completions.has(input.taskId)) {
      const done = this.results.has(input.taskId) || this.completions.has(input.taskId);
      throw ApplicationFailure.create({
        type: done ? TaskRejection.alreadyCompleted : TaskRejection.notFound,
        message: done ? `task ${input.taskId} is already completed` : `task ${input.taskId} is not open`,
        nonRetryable: true,
      });
    }
    if (!task.candidateGroups.some((g) => input.groups.includes(g))) {
      throw ApplicationFailure.create({
        type: TaskRejection.forbidden,
        message: `task ${input.taskId} is for group(s) ${task.candidateGroups.join(', ')}`,
        nonRetryable: true,
      });
    }
    const element = this.model.elements[task.elementId] as UserTaskElement;
    const errors = validateForm(element.form, input.data ?? {});
    if (!element.decisions.includes(input.decision)) {
      errors.unshift({
        field: 'decision',
        message: `decision must be one of ${element.decisions.join(', ')}, not "${input.decision}"`,
      });
    }
    if (errors.length > 0) {
      throw ApplicationFailure.create({
        type: TaskRejection.invalid,
        message: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        details: [errors],
        nonRetryable: true,
      });
    }
  }

  async completeTask(input: CompleteTaskInput): Promise<CompleteTaskResult> {
    this.completions.set(input.taskId, input);
    await condition(() => this.results.has(input.taskId));
    return this.results.get(input.taskId)!;
  }

  validateRetry(incidentId: string): void {
    if (!this.state.incidents.some((i) => i.id === incidentId)) {
      throw ApplicationFailure.create({
        type: 'IncidentNotFound',
        message: `incident ${incidentId} is not open`,
        nonRetryable: true,
      });
    }
  }

  retryIncident(incidentId: string): void {
    this.retried.add(incidentId);
  }

  // ---- token movement ----

  private async runFrom(elementId: string): Promise<void> {
    let next = [elementId];
    while (next.length === 1) next = await this.enter(next[0]);
    if (next.length > 1) await Promise.all(next.map((id) => this.runFrom(id)));
  }

  /** Executes one element and returns the elements the token(s) move on to. */
  private async enter(elementId: string): Promise<string[]> {
    const element = this.model.elements[elementId];
    this.applyMappings(element.inputs);
    switch (element.kind) {
      case 'startEvent':
        await this.record(element, this.nextInstance(element), this.state.submittedBy, 'submitted');
        break;
      case 'endEvent':
        await this.record(element, this.nextInstance(element), 'engine', element.outcome);
        this.outcomes.push(element.outcome);
        return [];
      case 'userTask':
        await this.userTask(element);
        break;
      case 'serviceTask':
        await this.serviceTask(element);
        break;
      case 'exclusiveGateway':
        if (element.outgoing.length > 1) {
          const instance = `${element.id}#${this.elementSeq + 1}`;
          return [await this.guard(element, instance, async () => this.chooseFlow(element))];
        }
        break;
      case 'parallelGateway':
        if (element.incoming.length > 1) {
          const arrived = (this.joinArrivals.get(element.id) ?? 0) + 1;
          if (arrived < element.incoming.length) {
            this.joinArrivals.set(element.id, arrived);
            return [];
          }
          this.joinArrivals.delete(element.id);
        }
        break;
    }
    this.applyMappings(element.outputs);
    return element.outgoing.map((flowId) => this.model.flows[flowId].target);
  }

  private chooseFlow(element: Extract<FlowElement, { kind: 'exclusiveGateway' }>): string {
    for (const flowId of element.outgoing) {
      const flow = this.model.flows[flowId];
      if (flowId === element.defaultFlow) continue;
      if (!flow.condition || evaluateCondition(flow.condition, this.state.variables)) return flow.target;
    }
    if (element.defaultFlow) return this.model.flows[element.defaultFlow].target;
    throw new EngineIncident(
      `no outgoing flow of gateway "${element.id}" matched and it has no default flow`,
    );
  }

  private async userTask(element: UserTaskElement): Promise<void> {
    const instance = this.nextInstance(element);
    let ruleReasons: string[] | undefined;
    if (element.rule) {
      const rule = element.rule;
      const result = await this.guard(element, instance, () =>
        ledger.evaluateRule({
          ...this.stepIdentity(element, `${instance}/rule`),
          rule,
          variables: this.state.variables,
        }),
      );
      if (result.decision !== 'manual') {
        this.setDecision(result.decision, `contract:${rule.id}`, { decisionReasons: result.reasons });
        return;
      }
      ruleReasons = result.reasons;
    }

    const taskId = taskIdOf(this.state.applicationId, this.elementSeq);
    this.state.openTasks.push({
      id: taskId,
      applicationId: this.state.applicationId,
      processKey: this.model.key,
      elementId: element.id,
      elementInstanceId: instance,
      name: element.name,
      candidateGroups: element.candidateGroups,
      decisions: element.decisions,
      formFields: element.form,
      ruleReasons,
      createdAt: new Date().toISOString(),
    } satisfies OpenTask);
    this.publish();

    await condition(() => this.completions.has(taskId));
    const completion = this.completions.get(taskId)!;
    const data = completion.data ?? {};
    const recorded = await this.record(element, instance, completion.actor, completion.decision, {
      decision: completion.decision,
      comment: completion.comment ?? null,
      data,
    });
    Object.assign(this.state.variables, data);
    this.setDecision(completion.decision, completion.actor, { comment: completion.comment ?? null });
    this.state.openTasks = this.state.openTasks.filter((t) => t.id !== taskId);
    this.results.set(taskId, {
      taskId,
      decision: completion.decision,
      txId: recorded.txId,
      recordHash: recorded.hash,
    });
    this.publish();
  }

  private async serviceTask(element: ServiceTaskElement): Promise<void> {
    const instance = this.nextInstance(element);
    const handler = proxyActivities<GovflowActivities>({
      startToCloseTimeout: '1 minute',
      retry: { initialInterval: '1 second', maximumAttempts: Math.max(1, element.retries) },
    });
    const output = await this.guard(element, instance, () =>
      handler.runServiceTask({
        taskType: element.taskType,
        applicationId: this.state.applicationId,
        elementId: element.id,
        elementInstanceId: instance,
        variables: this.state.variables,
      }),
    );
    Object.assign(this.state.variables, output);
    if (element.rule) {
      const rule = element.rule;
      const result = await this.guard(element, instance, () =>
        ledger.evaluateRule({
          ...this.stepIdentity(element, instance),
          rule,
          variables: this.state.variables,
        }),
      );
      this.setDecision(result.decision, `contract:${rule.id}`, { decisionReasons: result.reasons });
    } else {
      await this.record(element, instance, 'engine', 'completed', output);
    }
  }

  // ---- helpers ----

  private nextInstance(element: FlowElement): string {
    this.elementSeq += 1;
    return `${element.id}#${this.elementSeq}`;
  }

  private stepIdentity(element: FlowElement, elementInstanceId: string) {
    return {
      applicationId: this.state.applicationId,
      elementId: element.id,
      elementInstanceId,
      elementName: element.name,
      definitionKey: this.model.key,
      definitionHash: this.model.hash,
    };
  }

  private record(
    element: FlowElement,
    instance: string,
    actor: string,
    decision: string,
    data: Record<string, unknown> = this.state.variables,
  ) {
    return this.guard(element, instance, () =>
      ledger.recordStep({ ...this.stepIdentity(element, instance), actor, decision, data }),
    );
  }

  private setDecision(decision: string, decidedBy: string, extra: Record<string, unknown>): void {
    Object.assign(this.state.variables, { decision, decidedBy, ...extra });
  }

  private applyMappings(mappings: { source: string; target: string }[]): void {
    for (const m of mappings) this.state.variables[m.target] = evaluateFeel(m.source, this.state.variables);
  }

  /**
   * Runs a step; when it fails for good (activity out of retries, FEEL error, no matching flow) the
   * application shows an incident and this waits until an operator retries it.
   */
  private async guard<T>(element: FlowElement, instance: string, step: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await step();
      } catch (err) {
        if (!(err instanceof ActivityFailure || err instanceof FeelError || err instanceof EngineIncident)) {
          throw err;
        }
        const incident: Incident = {
          id: `inc-${++this.incidentSeq}`,
          elementId: element.id,
          elementInstanceId: instance,
          message: err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : err.message,
          createdAt: new Date().toISOString(),
        };
        this.state.incidents.push(incident);
        this.publish();
        await condition(() => this.retried.has(incident.id));
        this.state.incidents = this.state.incidents.filter((i) => i.id !== incident.id);
        this.publish();
      }
    }
  }

  /** Mirrors status and open tasks into search attributes and memo: the inbox reads only those. */
  private publish(): void {
    if (this.state.status === 'running' || this.state.status === 'incident') {
      this.state.status = this.state.incidents.length > 0 ? 'incident' : 'running';
    }
    const groups = [...new Set(this.state.openTasks.flatMap((t) => t.candidateGroups))].sort();
    upsertSearchAttributes([
      { key: GovStatus, value: this.state.status },
      { key: GovTaskGroups, value: groups.length > 0 ? groups : null },
    ]);
    upsertMemo({ openTasks: this.state.openTasks, incidents: this.state.incidents });
  }
}
