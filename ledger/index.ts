// Opens the configured ledger implementation behind the one Ledger interface.
import { EmbeddedLedger } from './embedded/index.ts';
import type { Ledger } from './types.ts';

export type OpenLedgerOptions =
  | { kind: 'embedded'; dir: string }
  | { kind: 'fabric'; [setting: string]: unknown };

export async function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  if (options.kind === 'embedded') return EmbeddedLedger.open(options.dir);
  if (options.kind === 'fabric') throw new Error('LEDGER=fabric is not available yet');
  throw new Error(`unknown ledger kind "${(options as { kind: unknown }).kind}"`);
}

export { ContractLedger, type FactVersion, type LedgerGateway } from './contract-ledger.ts';
export { EmbeddedLedger } from './embedded/index.ts';
