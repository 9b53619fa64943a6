// What a failed Fabric submit means for the caller. Three kinds:
// - the contract refused (a chaincode error): retrying cannot help, surface it as a ContractError;
// - the transaction lost a race or a peer was briefly away (MVCC / phantom read conflicts, peers
//   unavailable, endorsements that disagree): simulate and submit again, after a backoff;
// - anything else: surface it, with the transaction id.
// Resubmitting is safe because every step is keyed by (application, element instance) in the
// contract: a transaction that did commit before its status was lost is found as a duplicate.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { parseContractError } from '../../chaincode/src/contract-errors.ts';
import { ContractError } from '../errors.ts';

export type FailureKind = 'contract' | 'retry' | 'fail';

const TRANSIENT_GRPC = new Set<number>([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
]);
const CONFLICTS = new Set<number>([StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT]);
/** How a peer reports the contract's own error in an endorsement failure's details. */
const CHAINCODE_ERROR = /chaincode response (\d{3}), (.*)$/s;

/** The contract's own message, when the failure is a chaincode error. */
export function chaincodeMessage(err: unknown): string | undefined {
  if (!(err instanceof GatewayError)) return undefined;
  for (const text of [err.message, ...err.details.map((d) => d.message)]) {
    const match = CHAINCODE_ERROR.exec(text);
    if (match && Number(match[1]) >= 400) return match[2];
  }
  return undefined;
}

export function classify(err: unknown): FailureKind {
  if (err instanceof CommitError) return CONFLICTS.has(err.code) ? 'retry' : 'fail';
  const message = chaincodeMessage(err);
  if (message !== undefined)
    return parseContractError(message).code === 'DETAILS_UNAVAILABLE' ? 'retry' : 'contract';
  if (err instanceof GatewayError) {
    if (TRANSIENT_GRPC.has(err.code)) return 'retry';
    // Endorsers that returned different results (e.g. one had not yet committed the last block).
    if (err instanceof EndorseError && err.code === GrpcStatus.ABORTED) return 'retry';
  }
  return 'fail';
}

export interface RetryOptions {
  attempts: number;
  /** First backoff in ms; it doubles per attempt (capped at 2 s), with jitter. */
  backoffMs: number;
}

/** Runs `call` until it succeeds, is refused by the contract, or runs out of attempts. */
export async function withRetries<T>(fn: string, options: RetryOptions, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const kind = classify(err);
      if (kind === 'contract') throw new ContractError(chaincodeMessage(err) ?? String(err), fn);
      if (kind === 'fail' || attempt >= options.attempts) throw describe(err, fn, attempt);
      const wait = Math.min(2000, options.backoffMs * 2 ** (attempt - 1)) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** The error with its transaction id and what was tried, for the incident and the log. */
function describe(err: unknown, fn: string, attempts: number): Error {
  const txId = (err as { transactionId?: string }).transactionId;
  const what = err instanceof CommitError ? `commit status ${err.code}` : (err as Error).message;
  const wrapped = new Error(
    `${fn} failed${txId ? ` (transaction ${txId})` : ''} after ${attempts} attempt(s): ${what}`,
    { cause: err },
  );
  return wrapped;
}
