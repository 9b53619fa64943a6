// Errors raised by the contract itself (bad input, forbidden write): retrying will not help.
// Anything else from a ledger (I/O, MVCC after retries, network) may heal on retry.
import { type ContractErrorCode, parseContractError } from '../chaincode/src/contract-errors.ts';

export type { ContractErrorCode } from '../chaincode/src/contract-errors.ts';

export class ContractError extends Error {
  override name = 'ContractError';
  /** Set when the contract tagged the failure (see chaincode/src/contract-errors.ts). */
  readonly code?: ContractErrorCode;
  constructor(
    message: string,
    readonly transaction?: string,
  ) {
    const parsed = parseContractError(message);
    super(parsed.message);
    this.code = parsed.code;
  }
}

/** ClaimFact found the key held with a different value: someone else's claim won. */
export class FactTakenError extends ContractError {
  override name = 'FactTakenError';
  override readonly code = 'FACT_TAKEN' as const;
  constructor(
    message: string,
    readonly registry: string,
    readonly key: string,
  ) {
    super(message, 'ClaimFact');
  }
}
