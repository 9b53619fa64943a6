// Long applications (reminder loops, months of waiting) start a fresh run before their history
// grows too long. That happens only when every token is parked at a wait that can be taken up
// again from plain data: an open user task or a timer/message/signal catch event in the process
// scope. The new run resumes each wait where it was: same task ids, same timer due times.
import type { DeliveredMessage } from './messages.ts';
import type { OpenTask, Variables } from './state.ts';

export type ParkedWait =
  | { kind: 'userTask'; elementId: string; instance: string; task: OpenTask; localVars: Variables }
  /** A catch event; `dueAt` (epoch ms) for a timer, the same subscription id otherwise. */
  | { kind: 'catch'; elementId: string; instance: string; dueAt?: number };

export interface ResumeState {
  vars: Variables;
  counters: { element: number; scope: number; token: number; incident: number };
  outcomes: string[];
  startedAt: string;
  parked: ParkedWait[];
  /** Messages delivered to a wait that had not taken them up yet. */
  delivered: DeliveredMessage[];
  /** How many runs came before this one. */
  runs: number;
}

/** History length past which a quiescent application continues as new, unless the input sets one. */
export const DEFAULT_HISTORY_LIMIT = 10_000;
