// The mailbox of one (message name, correlation key): one workflow per pair, id from
// mailboxWorkflowId(). Publishers and subscribers reach it with signalWithStart, so correlation
// is durable and never waits on visibility. Events are handled one at a time, in arrival order,
// so a delivery in flight can never race another publish or subscribe.
import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { type MessageSubscription, messageDeliveredSignal, type PublishedMessage } from './messages.ts';

export const publishMessageSignal = defineSignal<[PublishedMessage]>('mailboxPublish');
export const subscribeMessageSignal = defineSignal<[MessageSubscription]>('mailboxSubscribe');
export const unsubscribeMessageSignal = defineSignal<[MessageSubscription]>('mailboxUnsubscribe');
/** What the mailbox holds right now, for operators and tests. */
export const mailboxQuery = defineQuery<MailboxState>('mailbox');

/**
 * How long a message id, and a consumed subscription, are remembered at least, so that a publisher
 * retrying a request or an activity retrying a subscribe does not correlate twice. The mailbox
 * stays open while it remembers something.
 */
export const REMEMBER_MS = 10 * 60_000;

/** A mailbox's own history bound, well under the server's; replays of it stay cheap. */
export const MAX_HISTORY_EVENTS = 2_000;

export interface BufferedMessage {
  message: PublishedMessage;
  /** Epoch ms: publishedAt + time to live. */
  expiresAt: number;
}

/** Everything the mailbox knows; carried over continue-as-new. */
export interface MailboxState {
  /** Oldest first; a new subscriber takes the oldest. */
  buffered: BufferedMessage[];
  /** In subscription order. */
  subscribers: MessageSubscription[];
  /** Message id -> epoch ms until which a repeat is ignored. */
  seenMessages: Record<string, number>;
  /** subscriptionKey() -> epoch ms until which a re-subscribe is ignored. */
  consumedSubscriptions: Record<string, number>;
}

type MailboxEvent =
  | { type: 'publish'; message: PublishedMessage }
  | { type: 'subscribe'; subscription: MessageSubscription }
  | { type: 'unsubscribe'; subscription: MessageSubscription };

export async function messageMailboxWorkflow(carried?: MailboxState): Promise<void> {
  const state: MailboxState = carried ?? {
    buffered: [],
    subscribers: [],
    seenMessages: {},
    consumedSubscriptions: {},
  };
  const events: MailboxEvent[] = [];
  setHandler(publishMessageSignal, (message) => void events.push({ type: 'publish', message }));
  setHandler(subscribeMessageSignal, (subscription) => void events.push({ type: 'subscribe', subscription }));
  setHandler(unsubscribeMessageSignal, (subscription) => {
    events.push({ type: 'unsubscribe', subscription });
  });
  setHandler(mailboxQuery, () => state);

  for (;;) {
    forgetExpired(state, Date.now());
    while (events.length > 0) await handle(state, events.shift()!);
    forgetExpired(state, Date.now());
    if (isIdle(state)) return; // a later publish or subscribe starts a fresh mailbox
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS) {
      await continueAsNew<typeof messageMailboxWorkflow>(state);
    }
    const wakeAt = nextExpiry(state);
    const wait = wakeAt - Date.now();
    if (!Number.isFinite(wakeAt)) await condition(() => events.length > 0);
    else if (wait > 0) await condition(() => events.length > 0, wait);
  }
}

async function handle(state: MailboxState, event: MailboxEvent): Promise<void> {
  if (event.type === 'publish') return publish(state, event.message);
  if (event.type === 'subscribe') return subscribe(state, event.subscription);
  state.subscribers = state.subscribers.filter((s) => !sameSubscription(s, event.subscription));
}

async function publish(state: MailboxState, message: PublishedMessage): Promise<void> {
  if (message.messageId in state.seenMessages) {
    log.info('duplicate message ignored', { messageId: message.messageId });
    return;
  }
  const now = Date.now();
  const publishedAt = Date.parse(message.publishedAt);
  const expiresAt =
    (Number.isFinite(publishedAt) ? publishedAt : now) + Math.max(0, message.timeToLiveMs || 0);
  state.seenMessages[message.messageId] = Math.max(expiresAt, now + REMEMBER_MS);

  // Each waiting workflow gets the message once, through its oldest subscription.
  const targets: MessageSubscription[] = [];
  for (const s of state.subscribers) {
    if (!targets.some((t) => t.workflowId === s.workflowId)) targets.push(s);
  }
  state.subscribers = state.subscribers.filter((s) => !targets.includes(s));
  const outcomes = await Promise.all(targets.map((t) => deliver(state, t, message)));
  if (outcomes.some(Boolean)) return;
  // Nobody (alive) waited: keep it for a later subscriber while it lives.
  if (expiresAt > now) state.buffered.push({ message, expiresAt });
}

async function subscribe(state: MailboxState, subscription: MessageSubscription): Promise<void> {
  if (subscriptionKey(subscription) in state.consumedSubscriptions) return;
  if (state.subscribers.some((s) => sameSubscription(s, subscription))) return;
  forgetExpired(state, Date.now());
  const oldest = state.buffered.shift();
  if (!oldest) {
    state.subscribers.push(subscription);
    return;
  }
  // The subscriber is gone: the message stays first in line for the next one.
  if (!(await deliver(state, subscription, oldest.message))) state.buffered.unshift(oldest);
}

/** Signals the subscriber; false (and the workflow's subscriptions dropped) when it is gone. */
async function deliver(
  state: MailboxState,
  subscription: MessageSubscription,
  message: PublishedMessage,
): Promise<boolean> {
  state.consumedSubscriptions[subscriptionKey(subscription)] = Date.now() + REMEMBER_MS;
  try {
    await getExternalWorkflowHandle(subscription.workflowId).signal(messageDeliveredSignal, {
      subscriptionId: subscription.subscriptionId,
      messageId: message.messageId,
      name: message.name,
      correlationKey: message.correlationKey,
      variables: message.variables,
    });
    return true;
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('subscriber is gone; dropping its subscriptions', {
      workflowId: subscription.workflowId,
      error: String(err),
    });
    state.subscribers = state.subscribers.filter((s) => s.workflowId !== subscription.workflowId);
    return false;
  }
}

function forgetExpired(state: MailboxState, now: number): void {
  state.buffered = state.buffered.filter((b) => b.expiresAt > now);
  for (const table of [state.seenMessages, state.consumedSubscriptions]) {
    for (const [key, until] of Object.entries(table)) if (until <= now) delete table[key];
  }
}

function nextExpiry(state: MailboxState): number {
  let next = Number.POSITIVE_INFINITY;
  for (const b of state.buffered) next = Math.min(next, b.expiresAt);
  for (const until of Object.values(state.seenMessages)) next = Math.min(next, until);
  for (const until of Object.values(state.consumedSubscriptions)) next = Math.min(next, until);
  return next;
}

function isIdle(state: MailboxState): boolean {
  return (
    state.buffered.length === 0 &&
    state.subscribers.length === 0 &&
    Object.keys(state.seenMessages).length === 0 &&
    Object.keys(state.consumedSubscriptions).length === 0
  );
}

function subscriptionKey(s: MessageSubscription): string {
  return `${s.workflowId}\u0000${s.subscriptionId}`;
}

function sameSubscription(a: MessageSubscription, b: MessageSubscription): boolean {
  return a.workflowId === b.workflowId && a.subscriptionId === b.subscriptionId;
}
