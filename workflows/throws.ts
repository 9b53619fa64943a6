// What unwinds a token: BPMN errors and escalations thrown to an enclosing catcher, terminate end
// events, and engine failures that become incidents.
import { ActivityFailure, ChildWorkflowFailure } from '@temporalio/workflow';
import { FeelError } from './feel.ts';
import type { Variables } from './state.ts';

/** A BPMN error or interrupting escalation travelling up to the activity or scope that catches it. */
export class BpmnThrow extends Error {
  constructor(
    readonly kind: 'error' | 'escalation',
    readonly code: string | undefined,
    readonly thrownBy: string,
    readonly variables: Variables = {},
    /** The catcher found when it was thrown: the element id of the boundary event or event sub-process start. */
    readonly catcherId?: string,
  ) {
    super(`${kind} ${code ?? '(no code)'} thrown by ${thrownBy}`);
  }
}

/** A terminate end event: ends every token of the scope it was reached in. */
export class Terminate extends Error {
  constructor(readonly scopeId: string) {
    super(`terminated scope ${scopeId}`);
  }
}

/** The engine cannot go on at an element (no flow matched, unknown variable...): an incident. */
export class EngineIncident extends Error {}

/** A step failed for good: it becomes an incident an operator can retry. */
export function isIncident(err: unknown): boolean {
  return (
    err instanceof ActivityFailure ||
    err instanceof ChildWorkflowFailure ||
    err instanceof FeelError ||
    err instanceof EngineIncident
  );
}

export function incidentMessage(err: unknown): string {
  if (err instanceof ActivityFailure || err instanceof ChildWorkflowFailure)
    return err.cause?.message ?? err.message;
  return (err as Error).message;
}
