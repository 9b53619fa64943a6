// The typed actors the engine records steps with (the contract refuses any other form): a person
// as `user:<sub>`, the engine itself as `engine`, and what triggered an event as `timer`,
// `message:<name>` or `signal:<name>`. Rules and decisions are recorded by the contract itself
// (`contract:<rule id>`, `decision:<id>`).
import type { EventTrigger } from '../definitions/model.ts';

export const userActor = (sub: string): string => `user:${sub}`;

/** Who caused an event that was triggered: its timer, message or signal; the engine otherwise. */
export function triggerActor(trigger: EventTrigger | undefined): string {
  switch (trigger?.type) {
    case 'timer':
      return 'timer';
    case 'message':
      return `message:${trigger.messageName}`;
    case 'signal':
      return `signal:${trigger.signalName}`;
    default:
      return 'engine';
  }
}

/** The process's start: the applicant who submitted it, or the event that started it. */
export function startActor(trigger: EventTrigger, submittedBy: string): string {
  return trigger.type === 'none' ? userActor(submittedBy) : triggerActor(trigger);
}
