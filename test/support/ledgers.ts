// The ledgers a contract suite runs against: the embedded ledger always, a Fabric network when
// one is up (its organisations' connection profiles exist). Fabric keeps what earlier runs wrote,
// so tests take their application ids and registry keys from unique().
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { ContractLedger, type LedgerGateway } from '../../ledger/contract-ledger.ts';
import {
  FabricBlocks,
  FabricGateway,
  organisationProfileFile,
  readConnectionProfile,
  withBlockNumbers,
} from '../../ledger/fabric/index.ts';
import type { EventsOptions, LedgerEvent, LedgerIdentity, TrailEntry } from '../../ledger/types.ts';
import { openTemp } from '../ledger/helpers.ts';

export interface LedgerUnderTest {
  kind: 'embedded' | 'fabric';
  /** Why the suite cannot run on this ledger here; undefined when it can. */
  unavailable?: string;
  open(): Promise<ContractLedger>;
}

/**
 * The folder of the run's Fabric network's per-organisation connection profiles (the test global
 * setup's network, else FABRIC_NETWORK_DIR's), or undefined when there is no network.
 */
export function fabricProfilesForTests(): string | undefined {
  const dir = inject('fabricNetworkDir') ?? process.env.FABRIC_NETWORK_DIR;
  return dir && existsSync(join(dir, 'profiles')) ? join(dir, 'profiles') : undefined;
}

/** Why the Fabric cases cannot run here. */
export function fabricUnavailableForTests(): string {
  return (
    inject('fabricUnavailable') ??
    `no Fabric network: ${inject('fabricNetworkDir') ?? process.env.FABRIC_NETWORK_DIR ?? '(none)'} has no profiles`
  );
}

/**
 * Several organisations in one test process: each call goes to the single-organisation
 * FabricGateway of `as.mspId` (its own profile, its own identity), as each organisation's own
 * process would send it. Queries without `as` and events go through `reader`'s.
 */
export class OrganisationGateways implements LedgerGateway {
  private readonly gateways = new Map<string, FabricGateway>();

  constructor(
    private readonly profilesDir: string,
    private readonly reader = 'GovflowMSP',
  ) {}

  submit(
    fn: string,
    args: string[],
    as: LedgerIdentity,
    transient?: Record<string, string>,
  ): Promise<string> {
    return this.of(as.mspId).submit(fn, args, as, transient);
  }

  evaluate(fn: string, args: string[], as?: LedgerIdentity): Promise<string> {
    return this.of(as?.mspId ?? this.reader).evaluate(fn, args, as);
  }

  events(options: EventsOptions): AsyncIterable<LedgerEvent> {
    return this.of(this.reader).events(options);
  }

  async close(): Promise<void> {
    await Promise.all([...this.gateways.values()].map((g) => g.close()));
    this.gateways.clear();
  }

  /** The organisation's gateway, from `<profiles>/<MSP id>.json` (an error names a missing one). */
  of(mspId: string): FabricGateway {
    let gateway = this.gateways.get(mspId);
    if (!gateway) {
      gateway = new FabricGateway(
        readConnectionProfile(organisationProfileFile(this.profilesDir, mspId), mspId),
      );
      this.gateways.set(mspId, gateway);
    }
    return gateway;
  }
}

/** Every organisation's connection in one ledger object, reading blocks as the engine's peer sees them. */
export class OrganisationsLedger extends ContractLedger {
  readonly fabricBlocks: FabricBlocks;

  constructor(gateways: OrganisationGateways) {
    super('fabric', gateways);
    this.fabricBlocks = new FabricBlocks(gateways.of('GovflowMSP'));
  }

  override async trail(applicationId: string): Promise<TrailEntry[]> {
    return withBlockNumbers(await super.trail(applicationId), this.fabricBlocks);
  }
}

export function ledgersUnderTest(): LedgerUnderTest[] {
  const profiles = fabricProfilesForTests();
  return [
    { kind: 'embedded', open: async () => (await openTemp()).ledger },
    {
      kind: 'fabric',
      unavailable: profiles ? undefined : fabricUnavailableForTests(),
      open: async () => new OrganisationsLedger(new OrganisationGateways(profiles!)),
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
