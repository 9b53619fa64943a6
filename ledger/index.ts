// Opens the configured ledger implementation behind the one Ledger interface.
import type { EmbeddedLedgerOptions } from './embedded/index.ts';
import type { Ledger } from './types.ts';

export type OpenLedgerOptions =
  | ({ kind: 'embedded'; dir: string } & EmbeddedLedgerOptions)
  /**
   * `connectionFile`: one organisation's connection profile (ledger/fabric/connection.ts);
   * `mspId`: the organisation this process acts for (a profile of another is refused).
   */
  | { kind: 'fabric'; connectionFile: string; mspId?: string };

export async function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  if (options.kind === 'embedded') {
    const { kind: _kind, dir, ...rest } = options;
    // Each implementation is loaded only when opened: a process needs one of them.
    const { EmbeddedLedger } = await import('./embedded/index.ts');
    return EmbeddedLedger.open(dir, rest);
  }
  if (options.kind === 'fabric') {
    const { FabricLedger } = await import('./fabric/index.ts');
    return FabricLedger.open(options.connectionFile, { mspId: options.mspId });
  }
  throw new Error(`unknown ledger kind "${(options as { kind: unknown }).kind}"`);
}

export { ContractLedger, type FactVersion, type LedgerGateway } from './contract-ledger.ts';
