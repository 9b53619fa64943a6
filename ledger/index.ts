// Opens the configured ledger implementation behind the one Ledger interface.
import { EmbeddedLedger } from './embedded/index.ts';
import { FabricLedger } from './fabric/index.ts';
import type { Ledger } from './types.ts';

export type OpenLedgerOptions =
  | { kind: 'embedded'; dir: string }
  /** `connectionFile`: the network's connection profile (ledger/fabric/connection.ts). */
  | { kind: 'fabric'; connectionFile: string };

export async function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  if (options.kind === 'embedded') return EmbeddedLedger.open(options.dir);
  if (options.kind === 'fabric') return FabricLedger.open(options.connectionFile);
  throw new Error(`unknown ledger kind "${(options as { kind: unknown }).kind}"`);
}

export { ContractLedger, type FactVersion, type LedgerGateway } from './contract-ledger.ts';
export { EmbeddedLedger } from './embedded/index.ts';
export { FabricLedger } from './fabric/index.ts';
