// Gateways: where tokens split and meet. Exclusive and inclusive gateways choose by FEEL
// conditions, parallel and inclusive gateways join, an event-based gateway races its events.
import { CancellationScope, condition, patched } from '@temporalio/workflow';
import type { ElementOf, FlowElement } from '../definitions/model.ts';
import { triggerActor } from './actors.ts';
import type { ParkedWait } from './continue-as-new.ts';
import { evaluateCondition } from './feel.ts';
import type { Interpreter } from './interpreter.ts';
import type { Scope } from './scope.ts';
import type { Variables } from './state.ts';
import { EngineIncident } from './throws.ts';

/** Marks runs in which a gateway's only outgoing flow is taken only when its condition holds. */
export const SINGLE_FLOW_CONDITION_PATCH = 'single-flow-condition';

type Gateway = ElementOf<'exclusiveGateway' | 'inclusiveGateway' | 'parallelGateway' | 'eventBasedGateway'>;

export class Gateways {
  /** Whether a token at one element can still reach another, by `from>to`. */
  private readonly reach = new Map<string, boolean>();

  constructor(private readonly engine: Interpreter) {}

  /** Where the token(s) go from this gateway; none while a join still waits. */
  async enter(element: FlowElement, scope: Scope): Promise<string[]> {
    const gateway = element as Gateway;
    switch (gateway.kind) {
      case 'exclusiveGateway':
        return this.chooses(gateway)
          ? [await this.chooseExclusive(gateway, scope)]
          : this.engine.targets(gateway);
      case 'inclusiveGateway':
        if (gateway.incoming.length > 1 && !(await this.joinInclusive(gateway, scope))) return [];
        return this.chooses(gateway) ? this.chooseInclusive(gateway, scope) : this.engine.targets(gateway);
      case 'parallelGateway':
        return this.joinParallel(gateway, scope) ? this.engine.targets(gateway) : [];
      case 'eventBasedGateway':
        return this.raceEvents(gateway, scope);
    }
  }

  /**
   * Whether the gateway picks among its flows by their conditions: with several flows, and (as in
   * Camunda, where a false condition is an incident) with one flow that has a condition. Runs that
   * began before the single flow's condition counted keep going as they did.
   */
  private chooses(gateway: ElementOf<'exclusiveGateway' | 'inclusiveGateway'>): boolean {
    if (gateway.outgoing.length > 1) return true;
    const only = gateway.outgoing[0];
    return (
      only !== undefined && !!this.engine.model.flows[only]?.condition && patched(SINGLE_FLOW_CONDITION_PATCH)
    );
  }

  private chooseExclusive(element: ElementOf<'exclusiveGateway'>, scope: Scope): Promise<string> {
    return this.engine.guard(element, `${element.id}#gateway`, async () => {
      const context = scope.context();
      const taken = element.outgoing.find((id) => id !== element.defaultFlow && this.flowHolds(id, context));
      const flow = taken ?? element.defaultFlow;
      if (!flow) throw noFlowMatched(element);
      return this.engine.model.flows[flow].target;
    });
  }

  private chooseInclusive(element: ElementOf<'inclusiveGateway'>, scope: Scope): Promise<string[]> {
    return this.engine.guard(element, `${element.id}#gateway`, async () => {
      const context = scope.context();
      const taken = element.outgoing.filter(
        (id) => id !== element.defaultFlow && this.flowHolds(id, context),
      );
      if (taken.length === 0 && element.defaultFlow) taken.push(element.defaultFlow);
      if (taken.length === 0) throw noFlowMatched(element);
      return taken.map((id) => this.engine.model.flows[id].target);
    });
  }

  private flowHolds(flowId: string, context: Variables): boolean {
    const condition = this.engine.model.flows[flowId].condition;
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
        const element = this.engine.model.elements[queue.shift()!];
        for (const next of [...this.engine.targets(element), ...element.boundaryEvents]) {
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

  /**
   * Event-based gateway: the first of the following events to happen wins; the others are dropped.
   * `carried`: the race a previous run left (continue-as-new), its timers keeping their due times.
   */
  async raceEvents(
    element: ElementOf<'eventBasedGateway'>,
    scope: Scope,
    carried?: ParkedWait & { kind: 'eventGateway' },
  ): Promise<string[]> {
    const instance = carried?.instance ?? this.engine.nextInstance(element);
    const candidates = this.engine.targets(element).map((id) => this.engine.model.elements[id]);
    const race = new CancellationScope();
    const waits = this.engine.waits;
    const release = this.engine.park(scope, () => {
      const dueAt: Record<string, number> = {};
      for (const candidate of candidates) {
        const subscription = `${instance}/${candidate.id}`;
        const due = waits.dueAt(subscription);
        const timer = 'trigger' in candidate && candidate.trigger.type === 'timer';
        if (waits.ready(subscription) || (timer && due === undefined)) return undefined;
        if (due !== undefined) dueAt[candidate.id] = due;
      }
      return { kind: 'eventGateway', elementId: element.id, instance, dueAt };
    });
    let winner: { candidate: FlowElement; payload: Variables };
    try {
      winner = await race.run(() =>
        Promise.race(
          candidates.map(async (candidate) => {
            if (!('trigger' in candidate))
              throw new EngineIncident(`${candidate.id} cannot follow an event-based gateway`);
            const payload = await this.engine.guard(candidate, instance, () =>
              waits.waitFor(
                candidate.trigger,
                scope.context(),
                `${instance}/${candidate.id}`,
                carried?.dueAt[candidate.id],
                candidate.id,
              ),
            );
            return { candidate, payload };
          }),
        ),
      );
    } finally {
      release();
    }
    race.cancel();
    scope.setAll(winner.payload);
    await this.engine.record(
      winner.candidate,
      this.engine.nextInstance(winner.candidate),
      triggerActor('trigger' in winner.candidate ? winner.candidate.trigger : undefined),
      'triggered',
      winner.payload,
    );
    return this.engine.targets(winner.candidate);
  }
}

function noFlowMatched(gateway: Gateway): EngineIncident {
  return new EngineIncident(`no outgoing flow of gateway "${gateway.id}" matched and it has no default flow`);
}
