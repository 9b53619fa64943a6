// Public security's handlers (公安): turning a citizen ID number into the key under which
// departments keep facts about that person. ID numbers never go on the ledger in clear.
import { sha256Hex } from '../../ledger/hash.ts';
import { badInput, type ServiceTaskHandler } from './job.ts';

/**
 * The salt of person keys. Every organisation on the channel must use the same one (set
 * GOVFLOW_PERSON_KEY_SALT in production; the default is for development only, since a known salt
 * lets anyone test guessed ID numbers against the keys).
 */
export const DEV_PERSON_KEY_SALT = 'govflow-dev-person-key-salt';

export function personKeySalt(): string {
  return process.env.GOVFLOW_PERSON_KEY_SALT || DEV_PERSON_KEY_SALT;
}

/** The ledger key of a person: sha256 of salt + ID number (trimmed, upper case: IDs may end in X). */
export function personKey(idNumber: string, salt = personKeySalt()): string {
  return sha256Hex(`${salt}\u0000${idNumber.trim().toUpperCase()}`);
}

/** Reads `idNumber` from the `shareholder` (or `person`) variable, or a top-level `idNumber`. */
export const pseudonymiseIdentity: ServiceTaskHandler = async (job) => {
  const holder = (job.variables.shareholder ?? job.variables.person) as { idNumber?: unknown } | undefined;
  const idNumber = holder?.idNumber ?? job.variables.idNumber;
  if (typeof idNumber !== 'string' || idNumber.trim() === '')
    throw badInput(
      'the person to verify has no idNumber (shareholder.idNumber, person.idNumber or idNumber)',
    );
  return { personKey: personKey(idNumber) };
};

export const publicSecurityHandlers: Record<string, ServiceTaskHandler> = {
  'public-security.pseudonymise-identity': pseudonymiseIdentity,
};
