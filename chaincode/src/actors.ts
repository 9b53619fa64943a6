// Typed actors: who or what took a step, in a form no user can pose as. `user:<sub>` (an
// applicant or clerk), `engine` (the process moving on), `timer`, `message:<name>` and
// `signal:<name>` (the event that triggered the step), and the contract's own `contract:<rule id>`
// and `decision:<id>`, which only EvaluateRule and EvaluateDecision write.
import { CodedContractError } from './contract-errors.ts';

const ACTOR_FORMS = 'user:<sub>, engine, timer, message:<name>, signal:<name>';

/** The prefixes only the contract itself may write. */
const CONTRACT_PREFIXES = ['contract:', 'decision:'];

export const ruleActor = (ruleId: string) => `contract:${ruleId}`;
export const decisionActor = (decisionId: string) => `decision:${decisionId}`;

/**
 * Checks the actor a RecordStep caller names: a contract actor is FORBIDDEN (the contract records
 * its own decisions), anything but a typed actor is refused naming the field.
 */
export function requireCallerActor(actor: unknown, where: string): string {
  if (typeof actor !== 'string' || actor === '')
    throw new Error(`${where}: field "actor" is required and must be a non-empty string`);
  if (CONTRACT_PREFIXES.some((prefix) => actor.startsWith(prefix))) {
    throw new CodedContractError(
      'FORBIDDEN',
      `${where}: field "actor" "${actor}" is the contract's own; only EvaluateRule and EvaluateDecision record such steps`,
    );
  }
  if (!isCallerActor(actor)) {
    throw new Error(`${where}: field "actor" "${actor}" must be one of ${ACTOR_FORMS}`);
  }
  return actor;
}

function isCallerActor(actor: string): boolean {
  if (actor === 'engine' || actor === 'timer') return true;
  const colon = actor.indexOf(':');
  if (colon < 0) return false;
  const type = actor.slice(0, colon);
  const name = actor.slice(colon + 1);
  if (name.trim() === '' || name !== name.trim()) return false;
  // A user's sub never holds ':' (the API refuses such tokens), so `user:a:b` is no user.
  if (type === 'user') return !name.includes(':');
  return type === 'message' || type === 'signal';
}
