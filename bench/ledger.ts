// Step recording on the ledger: committed steps per second and per-step latency (p50/p99), and
// how a step compares with a bare contract submit on the same ledger.
// Run: npx tsx bench/ledger.ts [--ledger embedded|fabric] [--applications 40] [--steps 10]
//      [--concurrency 1,8]
// Each application records its steps one after another, as its workflow does; `concurrency`
// applications run at once, as worker activity slots would. Three workloads, each on a fresh
// ledger (embedded) so that none pays for another's history:
//   record  RecordStep, the step every task, event and gateway writes (a chained record);
//   rule    EvaluateRule, the property-registration approval rule over two department facts;
//   bare    PutFact of a tiny value: one key written, no chain, no rule (the floor of a submit);
//           on Fabric through @hyperledger/fabric-gateway directly, without govflow's client.
// On Fabric the bench brings up a network of its own in a temporary directory (cached binaries,
// `npm run fabric:install`), or uses the running one in FABRIC_NETWORK_DIR; the engine and the
// land registry each submit with their own organisation's profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../chaincode/src/canonical.ts';
import type { ApprovalRule } from '../definitions/model.ts';
import { FabricLedger } from '../ledger/fabric/index.ts';
import { openLedger } from '../ledger/index.ts';
import type { Ledger, LedgerIdentity } from '../ledger/types.ts';
import { startNetwork, stopNetwork } from '../scripts/fabric/network.ts';
import { type BareGateway, openBareGateway } from './fabric-bare.ts';

const { values: options } = parseArgs({
  options: {
    ledger: { type: 'string', default: 'embedded' },
    applications: { type: 'string', default: '40' },
    steps: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '1,8' },
  },
});
const applications = Number(options.applications);
const steps = Number(options.steps);
const concurrencies = options.concurrency.split(',').map(Number);
const kind = options.ledger as 'embedded' | 'fabric';
if (kind !== 'embedded' && kind !== 'fabric') throw new Error(`--ledger: embedded or fabric, not ${kind}`);

const ENGINE: LedgerIdentity = { mspId: 'GovflowMSP', id: 'bench-engine' };
const LAND_REGISTRY: LedgerIdentity = { mspId: 'LandRegistryMSP', id: 'bench-land-registry' };
/** The process whose registered rule decides the rule workload's steps. */
const BENCH_PROCESS = { key: 'bench-process', version: 1 };

const TITLE_RULE: ApprovalRule = {
  id: 'title-clear',
  facts: [
    { name: 'title', registry: 'land-title', key: 'parcel' },
    { name: 'encumbrance', registry: 'encumbrance', key: 'parcel' },
  ],
  approveWhen: 'title.status = "registered" and (encumbrance = null or encumbrance.active = false)',
  rejectWhen: 'title = null or title.status = "seized"',
};

/** Application ids unique to this run: a Fabric network keeps the steps of earlier runs. */
const RUN = `bench-${Date.now().toString(36)}`;

/** The engine's and the land registry's connections (one ledger object on the embedded ledger). */
interface Ledgers {
  engine: Ledger;
  landRegistry: Ledger;
  /** Fabric only: the land registry's bare gateway. */
  bare?: BareGateway;
}

type Workload = (ledgers: Ledgers, application: string, n: number) => Promise<unknown>;

const WORKLOADS: Record<string, { setUp?: (ledgers: Ledgers) => Promise<void>; step: Workload }> = {
  record: {
    step: ({ engine }, application, n) =>
      engine.recordStep(
        {
          applicationId: application,
          elementId: `task-${n}`,
          elementInstanceId: `task-${n}#1`,
          actor: 'user:bench.clerk',
          decision: 'done',
          dataHash: sha256Hex(`${application} ${n}`),
        },
        ENGINE,
      ),
  },
  rule: {
    setUp: async ({ engine, landRegistry }) => {
      await landRegistry.putFact('land-title', 'P-BENCH', { status: 'registered', area: 80 }, LAND_REGISTRY);
      await landRegistry.putFact('encumbrance', 'P-BENCH', { active: false }, LAND_REGISTRY);
      await engine.registerDefinition(
        {
          ...BENCH_PROCESS,
          key: `${BENCH_PROCESS.key}-${RUN}`,
          hash: sha256Hex('bench process'),
          deployer: 'bench',
          modelHash: sha256Hex('bench model'),
          rules: { review: TITLE_RULE },
          decisionCalls: {},
        },
        ENGINE,
      );
    },
    step: ({ engine }, application, n) =>
      engine.evaluateRule(
        {
          applicationId: application,
          elementId: 'review',
          elementInstanceId: `review#${n}`,
          definitionKey: `${BENCH_PROCESS.key}-${RUN}`,
          definitionVersion: BENCH_PROCESS.version,
          variables: { parcel: 'P-BENCH' },
        },
        ENGINE,
      ),
  },
  bare: {
    step: ({ landRegistry, bare }, application, n) =>
      bare
        ? bare.submit('PutFact', ['encumbrance', `${application}-${n}`, '{"active":false}'])
        : landRegistry.putFact('encumbrance', `${application}-${n}`, { active: false }, LAND_REGISTRY),
  },
};

interface Figures {
  steps: number;
  seconds: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Fabric: one network for the whole run; every workload and concurrency uses its own application ids. */
let fabricDir: string | undefined;
let ownNetwork = false;

async function openLedgers(name: string): Promise<{ ledgers: Ledgers; close(): Promise<void> }> {
  if (kind === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), `govflow-bench-ledger-${name}-`));
    const ledger = await openLedger({ kind, dir: join(dir, 'ledger') });
    return {
      ledgers: { engine: ledger, landRegistry: ledger },
      close: async () => {
        await ledger.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!fabricDir) {
    ownNetwork = !process.env.FABRIC_NETWORK_DIR;
    fabricDir = process.env.FABRIC_NETWORK_DIR ?? mkdtempSync(join(tmpdir(), 'govflow-bench-fabric-'));
    const since = performance.now();
    await startNetwork(fabricDir, ownNetwork ? { basePort: 27000 } : {});
    console.log(`Fabric network in ${fabricDir} up in ${((performance.now() - since) / 1000).toFixed(1)} s`);
  }
  const profile = (mspId: string) => join(fabricDir as string, 'profiles', `${mspId}.json`);
  const engine = FabricLedger.open(profile(ENGINE.mspId));
  const landRegistry = FabricLedger.open(profile(LAND_REGISTRY.mspId));
  const bare = openBareGateway(profile(LAND_REGISTRY.mspId));
  return {
    ledgers: { engine, landRegistry, bare },
    close: async () => {
      bare.close();
      await engine.close();
      await landRegistry.close();
    },
  };
}

async function run(name: string, concurrency: number): Promise<Figures> {
  const workload = WORKLOADS[name];
  const { ledgers, close } = await openLedgers(name);
  const prefix = `${RUN}-${name}-c${concurrency}`;
  try {
    await workload.setUp?.(ledgers);
    // A few steps first so the contract's code paths are compiled before anything is timed.
    for (let n = 1; n <= 5; n++) await workload.step(ledgers, `${prefix}-warmup`, n);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const lane = async () => {
      for (let a = next++; a < applications; a = next++) {
        for (let n = 1; n <= steps; n++) {
          const t = performance.now();
          await workload.step(ledgers, `${prefix}-app-${a}`, n);
          latencies.push(performance.now() - t);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      steps: latencies.length,
      seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    await close();
  }
}

console.log(
  `ledger ${kind}: ${applications} applications x ${steps} steps, at ${concurrencies.join(' and ')} applications at once`,
);
console.log('workload  at once   steps   steps/s   p50 ms   p99 ms');
try {
  for (const concurrency of concurrencies) {
    const results: Record<string, Figures> = {};
    for (const name of Object.keys(WORKLOADS)) {
      const figures = await run(name, concurrency).catch((err: Error) => {
        console.error(`${name}: ${err.message}`);
        process.exitCode = 1;
        throw err;
      });
      results[name] = figures;
      console.log(
        `${name.padEnd(8)} ${String(concurrency).padStart(8)} ${String(figures.steps).padStart(7)} ${(figures.steps / figures.seconds).toFixed(1).padStart(9)} ${figures.p50.toFixed(2).padStart(8)} ${figures.p99.toFixed(2).padStart(8)}`,
      );
    }
    const rate = (f: Figures) => f.steps / f.seconds;
    const ratio = (a: Figures, b: Figures) => (rate(a) / rate(b)).toFixed(2);
    console.log(
      `  at ${concurrency} at once, steps/s relative to the bare submit: record ${ratio(results.record, results.bare)}x, rule ${ratio(results.rule, results.bare)}x`,
    );
  }
} finally {
  if (fabricDir && ownNetwork) {
    await stopNetwork(fabricDir);
    rmSync(fabricDir, { recursive: true, force: true });
  }
}
