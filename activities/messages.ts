// Message correlation and signal broadcast, as activities for the application workflow (catch
// events subscribe, throw events and send tasks publish) and as plain calls for the API.
// Every call is safe to retry: the mailbox ignores repeated message ids and consumed subscriptions.
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  messageMailboxWorkflow,
  publishMessageSignal,
  subscribeMessageSignal,
  unsubscribeMessageSignal,
} from '../workflows/message-mailbox.ts';
import {
  EVENT_NAME_PATTERN,
  MAX_MAILBOX_ID_LENGTH,
  type MessageSubscription,
  mailboxWorkflowId,
  signalDeliveredSignal,
} from '../workflows/messages.ts';
import { GovAwaitingSignals } from '../workflows/search-attributes.ts';

export interface MessageSubscriptionInput extends MessageSubscription {
  name: string;
  correlationKey: string;
}

export interface PublishMessageInput {
  name: string;
  correlationKey: string;
  variables?: Record<string, unknown>;
  /** 0 (the default): only workflows waiting right now get it. */
  timeToLiveMs?: number;
  /** Give a stable id (e.g. application id + element instance) so a retry is not a second message. */
  messageId: string;
}

export interface BroadcastSignalInput {
  name: string;
  variables?: Record<string, unknown>;
}

/** How many waiting workflows are signalled at once by a broadcast. */
const BROADCAST_CONCURRENCY = 16;

/** The mailbox's id; a pair too long for one is a modelling error that retrying cannot fix. */
function mailboxIdOf(name: string, correlationKey: string): string {
  const id = mailboxWorkflowId(name, correlationKey);
  if (id.length > MAX_MAILBOX_ID_LENGTH) {
    throw ApplicationFailure.nonRetryable(
      `message "${name.slice(0, 40)}…": name and correlation key are too long together`,
      'InvalidCorrelation',
    );
  }
  return id;
}

export function messageActivities(client: Client, taskQueue: string) {
  const mailbox = (name: string, correlationKey: string) => ({
    workflowId: mailboxIdOf(name, correlationKey),
    taskQueue,
    args: [] as [],
    memo: { messageName: name, correlationKey },
  });

  return {
    /** Waits (durably) for the next message of that name and key; delivery is a signal to workflowId. */
    async subscribeMessage(input: MessageSubscriptionInput): Promise<void> {
      await client.workflow.signalWithStart(messageMailboxWorkflow, {
        ...mailbox(input.name, input.correlationKey),
        signal: subscribeMessageSignal,
        signalArgs: [{ workflowId: input.workflowId, subscriptionId: input.subscriptionId }],
      });
    },

    async unsubscribeMessage(input: MessageSubscriptionInput): Promise<void> {
      try {
        await client.workflow
          .getHandle(mailboxIdOf(input.name, input.correlationKey))
          .signal(unsubscribeMessageSignal, {
            workflowId: input.workflowId,
            subscriptionId: input.subscriptionId,
          });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err; // no mailbox: nothing to undo
      }
    },

    async publishMessage(input: PublishMessageInput): Promise<{ messageId: string }> {
      await client.workflow.signalWithStart(messageMailboxWorkflow, {
        ...mailbox(input.name, input.correlationKey),
        signal: publishMessageSignal,
        signalArgs: [
          {
            messageId: input.messageId,
            name: input.name,
            correlationKey: input.correlationKey,
            variables: input.variables ?? {},
            timeToLiveMs: input.timeToLiveMs ?? 0,
            publishedAt: new Date().toISOString(),
          },
        ],
      });
      return { messageId: input.messageId };
    },

    /**
     * Signals every running workflow that waits for the BPMN signal `name` (one visibility query, so
     * a workflow that began waiting a moment ago may not be seen yet). Returns how many were signalled.
     */
    async broadcastSignal(input: BroadcastSignalInput): Promise<number> {
      if (!EVENT_NAME_PATTERN.test(input.name)) {
        throw ApplicationFailure.nonRetryable(
          `signal name "${input.name}" may contain only letters, digits, space and ._:/-`,
          'InvalidSignalName',
        );
      }
      const query = `ExecutionStatus = 'Running' AND ${GovAwaitingSignals.name} = '${input.name}'`;
      const payload = { name: input.name, variables: input.variables ?? {} };
      let delivered = 0;
      let batch: Promise<void>[] = [];
      for await (const execution of client.workflow.list({ query })) {
        batch.push(
          client.workflow
            .getHandle(execution.workflowId)
            .signal(signalDeliveredSignal, payload)
            .then(
              () => void delivered++,
              (err) => {
                if (!(err instanceof WorkflowNotFoundError)) throw err; // closed since the query
              },
            ),
        );
        if (batch.length >= BROADCAST_CONCURRENCY) {
          await Promise.all(batch);
          batch = [];
        }
      }
      await Promise.all(batch);
      return delivered;
    },
  };
}
