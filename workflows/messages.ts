// Message correlation, shared by the mailbox workflow, the application workflow, the activities
// and the API. A message is addressed by name + correlation key; each such pair has one mailbox
// workflow (see message-mailbox.ts) that buffers it or hands it to the workflows waiting for it.
//
// Contract for a subscriber (the application workflow):
// - subscribe through the `subscribeMessage` activity with a subscriptionId unique within the
//   workflow (e.g. the element instance id), then wait for `messageDeliveredSignal` with that id;
// - a subscription is consumed by its delivery; to wait again, subscribe again with a new id
//   (a re-subscribe with an already consumed id is ignored, so activity retries are harmless);
// - when the waiting element is left another way (boundary timer, event-based gateway), call
//   `unsubscribeMessage`; a delivery for a subscription no longer waited for should be ignored.
import { defineSignal } from '@temporalio/workflow';

export interface PublishedMessage {
  /** Unique per message; a repeat is ignored while the mailbox remembers it. */
  messageId: string;
  name: string;
  correlationKey: string;
  variables: Record<string, unknown>;
  /** How long the message waits for a subscriber; 0: only current subscribers get it. */
  timeToLiveMs: number;
  /** ISO timestamp; the buffer expiry counts from here. */
  publishedAt: string;
}

export interface MessageSubscription {
  workflowId: string;
  /** Unique within that workflow, e.g. the element instance id. */
  subscriptionId: string;
}

export interface DeliveredMessage {
  subscriptionId: string;
  messageId: string;
  name: string;
  correlationKey: string;
  variables: Record<string, unknown>;
}

export interface BroadcastSignal {
  name: string;
  variables: Record<string, unknown>;
}

/** Sent by a mailbox to the workflow whose subscription a message correlated to. */
export const messageDeliveredSignal = defineSignal<[DeliveredMessage]>('messageDelivered');

/**
 * A BPMN signal, broadcast to every running workflow whose `GovAwaitingSignals` search attribute
 * lists its name (the workflow upserts it while it waits).
 */
export const signalDeliveredSignal = defineSignal<[BroadcastSignal]>('signalDelivered');

/** Temporal's default limit on workflow ids (limit.maxIDLength); longer name + key pairs are refused. */
export const MAX_MAILBOX_ID_LENGTH = 1000;

/** Workflow id of the mailbox of one (message name, correlation key). */
export function mailboxWorkflowId(name: string, correlationKey: string): string {
  return `message:${encodeURIComponent(name)}:${encodeURIComponent(correlationKey)}`;
}

/**
 * Message and signal names as accepted from the API and used in visibility queries: letters
 * (any script), digits, space and `._:/-`; never quotes or backslashes.
 */
export const EVENT_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._:/-]{0,127}$/u;
