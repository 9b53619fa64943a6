// Errors raised by the contract itself (bad input, forbidden write): retrying will not help.
// Anything else from a ledger (I/O, MVCC after retries, network) may heal on retry.
export class ContractError extends Error {
  override name = 'ContractError';
  constructor(
    message: string,
    readonly transaction?: string,
  ) {
    super(message);
  }
}
