// Reference subscribers: the smallest workflows that wait for a message (by name + correlation
// key) or a BPMN signal the way an application does. The tests use them to check correlation
// end to end; an operator can start one to see whether a message gets through.
import {
  condition,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { GovflowActivities } from '../activities/index.ts';
import {
  type BroadcastSignal,
  type DeliveredMessage,
  messageDeliveredSignal,
  signalDeliveredSignal,
} from './messages.ts';
import { GovAwaitingSignals } from './search-attributes.ts';

const messaging = proxyActivities<GovflowActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds' },
});

export interface MessageProbeInput {
  name: string;
  correlationKey: string;
  /** Gives up (and unsubscribes) after this long without a delivery. */
  timeoutMs: number;
  /** Unsubscribes after this long but keeps listening until timeoutMs (checks unsubscribe). */
  unsubscribeAfterMs?: number;
}

/** Returns every delivery it saw: none, or exactly one when correlation works. */
export async function messageProbeWorkflow(input: MessageProbeInput): Promise<DeliveredMessage[]> {
  const subscription = {
    name: input.name,
    correlationKey: input.correlationKey,
    workflowId: workflowInfo().workflowId,
    subscriptionId: 'probe',
  };
  const received: DeliveredMessage[] = [];
  setHandler(messageDeliveredSignal, (message) => void received.push(message));
  await messaging.subscribeMessage(subscription);
  const started = Date.now();
  if (input.unsubscribeAfterMs !== undefined) {
    if (!(await condition(() => received.length > 0, input.unsubscribeAfterMs))) {
      await messaging.unsubscribeMessage(subscription);
    }
  }
  const left = input.timeoutMs - (Date.now() - started);
  if (left > 0 && !(await condition(() => received.length > 0, left))) {
    await messaging.unsubscribeMessage(subscription);
  }
  // A moment more, so a (wrong) second delivery would show up in the result.
  if (received.length > 0) await sleep(500);
  return received;
}

export interface SignalProbeInput {
  name: string;
  timeoutMs: number;
}

/** Waits for the BPMN signal `name`, advertised through GovAwaitingSignals as an application does. */
export async function signalProbeWorkflow(input: SignalProbeInput): Promise<BroadcastSignal | null> {
  let received: BroadcastSignal | undefined;
  setHandler(signalDeliveredSignal, (signal) => {
    if (signal.name === input.name) received ??= signal;
  });
  upsertSearchAttributes([{ key: GovAwaitingSignals, value: [input.name] }]);
  await condition(() => received !== undefined, input.timeoutMs);
  upsertSearchAttributes([{ key: GovAwaitingSignals, value: [] }]);
  return received ?? null;
}
