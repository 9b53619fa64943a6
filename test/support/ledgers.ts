// The ledgers a contract suite runs against: the embedded ledger always, a Fabric network when
// one is up (its connection profile exists). Fabric keeps what earlier runs wrote, so tests take
// their application ids and registry keys from unique().
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/config.ts';
import type { ContractLedger } from '../../ledger/contract-ledger.ts';
import { FabricLedger } from '../../ledger/fabric/index.ts';
import { openTemp } from '../ledger/helpers.ts';

export interface LedgerUnderTest {
  kind: 'embedded' | 'fabric';
  /** Why the suite cannot run on this ledger here; undefined when it can. */
  unavailable?: string;
  open(): Promise<ContractLedger>;
}

export function fabricConnectionForTests(): string {
  return process.env.FABRIC_CONNECTION || join(REPO_ROOT, '.data', 'fabric', 'connection.json');
}

export function ledgersUnderTest(): LedgerUnderTest[] {
  const connection = fabricConnectionForTests();
  return [
    { kind: 'embedded', open: async () => (await openTemp()).ledger },
    {
      kind: 'fabric',
      unavailable: existsSync(connection)
        ? undefined
        : `no Fabric network: ${connection} does not exist (see the README's Fabric section)`,
      open: async () => FabricLedger.open(connection),
    },
  ];
}

const RUN = Date.now().toString(36);
let counter = 0;

/** `base` made unique to this test run and call: `app-1` → `app-1-<run>-<n>`. */
export function unique(base: string): string {
  counter += 1;
  return `${base}-${RUN}-${counter}`;
}
