// Who may call what: the engine organisation alone records steps, evaluates rules and decisions and
// registers definitions; department registries are written by their owners (facts.ts). The
// organisation is the submitter's MSP id as the peer verified it, never a field of the input.
import type { Context } from 'fabric-contract-api';
import { CodedContractError } from './contract-errors.ts';

/** The organisation of the govflow engine. */
export const ENGINE_MSP = 'GovflowMSP';

/** Throws FORBIDDEN, naming the function and the organisation, unless the engine submits. */
export function requireEngine(ctx: Context, where: string, what: string): void {
  const mspId = ctx.clientIdentity.getMSPID();
  if (mspId !== ENGINE_MSP) {
    throw new CodedContractError(
      'FORBIDDEN',
      `${where}: organisation ${mspId} may not ${what} (only ${ENGINE_MSP})`,
    );
  }
}
