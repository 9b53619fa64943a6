// Waiting for what an event catches: a timer, a message (correlated through its mailbox
// workflow), or a broadcast signal. Every wait can be cancelled by an interrupting event.
import { CancellationScope, condition, isCancellation, patched, sleep } from '@temporalio/workflow';
import type { EventTrigger } from '../definitions/model.ts';
import { messaging } from './activity-proxies.ts';
import { evaluateFeel } from './feel.ts';
import type { DeliveredMessage } from './messages.ts';
import type { Variables } from './state.ts';
import { EngineIncident } from './throws.ts';
import { firingDelays, TimerError } from './timers.ts';

export interface AwaitedEvent {
  elementId: string;
  subscriptionId: string;
  type: EventTrigger['type'];
  /** The message or signal name. */
  name?: string;
  /** The key a message must carry to reach this wait. */
  correlationKey?: string;
  /** When a timer fires. */
  dueAt?: string;
}

export class Waits {
  private readonly delivered = new Map<string, DeliveredMessage>();
  private readonly signalWaiters = new Map<string, { name: string; payload?: Variables }>();
  /** When each timer armed through waitFor fires (epoch ms), by subscription id. */
  private readonly due = new Map<string, number>();
  /** What each token waits for right now, by subscription id (the console's "waiting for"). */
  private readonly waiting = new Map<string, AwaitedEvent>();
  /** Unsubscribes still running after their wait was interrupted. */
  private unsubscribing = 0;
  /**
   * Counts messages and signals taken by their wait. Continue-as-new compares it before and after
   * a snapshot: a wait that has taken its event but not yet moved on must not be carried.
   */
  takes = 0;

  constructor(
    private readonly workflowId: string,
    private readonly onChange: () => void,
  ) {}

  /** Delivered messages no wait has taken up yet (carried over by continue-as-new). */
  pendingMessages(): DeliveredMessage[] {
    return [...this.delivered.values()];
  }

  onMessage(message: DeliveredMessage): void {
    this.delivered.set(message.subscriptionId, message);
  }

  onSignal(signal: { name: string; variables: Variables }): void {
    for (const waiter of this.signalWaiters.values()) {
      if (waiter.name === signal.name && !waiter.payload) waiter.payload = signal.variables;
    }
  }

  /** The event a wait subscribed as `subscriptionId` waits for has happened, but it has not moved on yet. */
  ready(subscriptionId: string): boolean {
    const due = this.due.get(subscriptionId);
    return (
      this.delivered.has(subscriptionId) ||
      this.signalWaiters.get(subscriptionId)?.payload !== undefined ||
      (due !== undefined && due <= Date.now())
    );
  }

  /** When the timer armed as `subscriptionId` fires. */
  dueAt(subscriptionId: string): number | undefined {
    return this.due.get(subscriptionId);
  }

  /** No unsubscribe is still on its way to a mailbox. */
  idle(): boolean {
    return this.unsubscribing === 0;
  }

  /** Names of the signals some token waits for (mirrored into a search attribute for broadcasts). */
  awaitedSignals(): string[] {
    return [...new Set([...this.signalWaiters.values()].map((w) => w.name))].sort();
  }

  /** The events tokens wait for now: answered by the state query, so no command changes. */
  awaited(): AwaitedEvent[] {
    return [...this.waiting.values()].map((w) => ({
      ...w,
      dueAt: this.due.has(w.subscriptionId)
        ? new Date(this.due.get(w.subscriptionId)!).toISOString()
        : undefined,
    }));
  }

  /** Milliseconds until each firing of a timer, evaluated against the variables in `context`. */
  timerDelays(trigger: Extract<EventTrigger, { type: 'timer' }>, context: Variables, limit = 1000): number[] {
    const value = evaluateFeel(trigger.timer.expression, context);
    if (typeof value !== 'string') {
      throw new EngineIncident(
        `timer \`${trigger.timer.expression}\` gave ${JSON.stringify(value)}, not an ISO 8601 text`,
      );
    }
    try {
      return firingDelays(trigger.timer.kind, value, Date.now(), limit);
    } catch (err) {
      if (err instanceof TimerError) throw new EngineIncident(err.message);
      throw err;
    }
  }

  /**
   * Resolves with the variables the event carries once it happens. A timer fires at `resumeAt`
   * when given (a wait carried over by continue-as-new).
   */
  async waitFor(
    trigger: EventTrigger,
    context: Variables,
    subscriptionId: string,
    resumeAt?: number,
    elementId?: string,
  ): Promise<Variables> {
    this.waiting.set(subscriptionId, {
      elementId: elementId ?? subscriptionId.split(/[#@/]/)[0],
      subscriptionId,
      type: trigger.type,
      ...(trigger.type === 'message' ? { name: trigger.messageName } : {}),
      ...(trigger.type === 'signal' ? { name: trigger.signalName } : {}),
    });
    try {
      return await this.waitForTrigger(trigger, context, subscriptionId, resumeAt);
    } finally {
      this.waiting.delete(subscriptionId);
    }
  }

  private async waitForTrigger(
    trigger: EventTrigger,
    context: Variables,
    subscriptionId: string,
    resumeAt: number | undefined,
  ): Promise<Variables> {
    switch (trigger.type) {
      case 'timer': {
        const delay =
          resumeAt !== undefined
            ? Math.max(0, resumeAt - Date.now())
            : this.timerDelays(trigger, context, 1)[0];
        this.due.set(subscriptionId, Date.now() + delay);
        try {
          await sleep(delay);
        } finally {
          this.due.delete(subscriptionId);
        }
        return {};
      }
      case 'message':
        return declaredOnly(trigger, await this.waitForMessage(trigger, context, subscriptionId));
      case 'signal':
        return declaredOnly(trigger, await this.waitForSignal(trigger.signalName, subscriptionId));
      default:
        throw new EngineIncident(`a ${trigger.type} event cannot be waited for here`);
    }
  }

  private async waitForMessage(
    trigger: Extract<EventTrigger, { type: 'message' }>,
    context: Variables,
    subscriptionId: string,
  ): Promise<Variables> {
    const key = trigger.correlationKey ? evaluateFeel(trigger.correlationKey, context) : undefined;
    if (key === undefined || key === null || key === '') {
      throw new EngineIncident(
        `the correlation key \`${trigger.correlationKey}\` of message "${trigger.messageName}" is empty`,
      );
    }
    const waiting = this.waiting.get(subscriptionId);
    if (waiting) waiting.correlationKey = String(key);
    const subscription = {
      name: trigger.messageName,
      correlationKey: String(key),
      workflowId: this.workflowId,
      subscriptionId,
    };
    await messaging.subscribeMessage(subscription);
    try {
      await condition(() => this.delivered.has(subscriptionId));
    } catch (err) {
      // Interrupted: tell the mailbox so a later message is kept for someone else.
      if (isCancellation(err)) {
        this.unsubscribing += 1;
        try {
          await CancellationScope.nonCancellable(() => messaging.unsubscribeMessage(subscription));
        } finally {
          this.unsubscribing -= 1;
        }
      }
      throw err;
    }
    const message = this.delivered.get(subscriptionId)!;
    this.delivered.delete(subscriptionId);
    this.takes += 1;
    return message.variables;
  }

  private async waitForSignal(name: string, subscriptionId: string): Promise<Variables> {
    const waiter: { name: string; payload?: Variables } = { name };
    this.signalWaiters.set(subscriptionId, waiter);
    this.onChange();
    try {
      await condition(() => waiter.payload !== undefined);
      this.takes += 1;
      return waiter.payload!;
    } finally {
      this.signalWaiters.delete(subscriptionId);
      this.onChange();
    }
  }
}

/** Marks histories whose events merge only the variables their message or signal declares. */
export const DECLARED_VARIABLES_PATCH = 'declared-event-variables';

/**
 * The variables of an event that its message or signal declares (govflow:payloadField); the API
 * refuses the rest, and this keeps a process-thrown event or an older publisher from setting them.
 * Models compiled before declarations existed carry none and merge what comes, as they did.
 */
function declaredOnly(
  trigger: Extract<EventTrigger, { type: 'message' | 'signal' }>,
  variables: Variables,
): Variables {
  if (trigger.payload === undefined || !patched(DECLARED_VARIABLES_PATCH)) return variables;
  const declared = new Set(trigger.payload.map((field) => field.id.split('.')[0]));
  return Object.fromEntries(Object.entries(variables).filter(([key]) => declared.has(key)));
}
