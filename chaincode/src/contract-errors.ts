// Contract failures a client must tell apart from the rest (a name already taken, a write by the
// wrong organisation, an unknown registry). Fabric hands a client only a chaincode error's message,
// so the code travels inside it as a fixed tag, `… [govflow:FACT_TAKEN]`, that the client side
// (ledger/errors.ts) reads back and strips; the rest of the message stays for people.
/**
 * DETAILS_UNAVAILABLE: this peer cannot serve private data yet; another attempt may succeed.
 * STEP_CONFLICT: the step is already recorded from a different input (never overwritten).
 * DEFINITION_NOT_REGISTERED / RULE_NOT_REGISTERED / DECISION_NOT_ALLOWED: a step call names a
 * definition, rule or decision the ledger's registered definition does not hold.
 * RULE_SPANS_ORGANISATIONS: an approval rule reads more than one organisation's registries, so
 * no set of endorsing peers could re-execute it (endorsement.ts).
 */
export const CONTRACT_ERROR_CODES = [
  'FACT_TAKEN',
  'FORBIDDEN',
  'UNKNOWN_REGISTRY',
  'DETAILS_UNAVAILABLE',
  'STEP_CONFLICT',
  'DEFINITION_NOT_REGISTERED',
  'RULE_NOT_REGISTERED',
  'DECISION_NOT_ALLOWED',
  'RULE_SPANS_ORGANISATIONS',
] as const;
export type ContractErrorCode = (typeof CONTRACT_ERROR_CODES)[number];

const TAG = /\s*\[govflow:([A-Z_]+)\]/;

export class CodedContractError extends Error {
  constructor(
    readonly code: ContractErrorCode,
    message: string,
  ) {
    super(`${message} [govflow:${code}]`);
  }
}

/** The code tagged in a contract error's message, and the message without the tag. */
export function parseContractError(message: string): { code?: ContractErrorCode; message: string } {
  const match = TAG.exec(message);
  const code = CONTRACT_ERROR_CODES.find((c) => c === match?.[1]);
  return code ? { code, message: message.replace(TAG, '') } : { message };
}
