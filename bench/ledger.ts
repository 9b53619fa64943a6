// Step recording on the ledger: committed steps per second and per-step latency (p50/p99), and
// how a step compares with a bare contract submit on the same ledger.
// Run: npx tsx bench/ledger.ts [--ledger embedded|fabric] [--applications 40] [--steps 10]
//      [--concurrency 8]
// Each application records its steps one after another, as its workflow does; `concurrency`
// applications run at once, as worker activity slots would. Three workloads, each on a fresh
// ledger so that none pays for another's history:
//   record  RecordStep, the step every task, event and gateway writes (a chained record);
//   rule    EvaluateRule, the property-registration approval rule over two department facts;
//   bare    PutFact of a tiny value: one key written, no chain, no rule (the floor of a submit).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../chaincode/src/canonical.ts';
import type { ApprovalRule } from '../definitions/model.ts';
import { openLedger } from '../ledger/index.ts';
import type { Ledger, LedgerIdentity } from '../ledger/types.ts';

const { values: options } = parseArgs({
  options: {
    ledger: { type: 'string', default: 'embedded' },
    applications: { type: 'string', default: '40' },
    steps: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
  },
});
const applications = Number(options.applications);
const steps = Number(options.steps);
const concurrency = Number(options.concurrency);
const kind = options.ledger as 'embedded' | 'fabric';

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

type Workload = (ledger: Ledger, application: string, n: number) => Promise<unknown>;

const WORKLOADS: Record<string, { setUp?: (ledger: Ledger) => Promise<void>; step: Workload }> = {
  record: {
    step: (ledger, application, n) =>
      ledger.recordStep(
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
    setUp: async (ledger) => {
      await ledger.putFact('land-title', 'P-BENCH', { status: 'registered', area: 80 }, LAND_REGISTRY);
      await ledger.putFact('encumbrance', 'P-BENCH', { active: false }, LAND_REGISTRY);
      await ledger.registerDefinition(
        {
          ...BENCH_PROCESS,
          hash: sha256Hex('bench process'),
          deployer: 'bench',
          modelHash: sha256Hex('bench model'),
          rules: { review: TITLE_RULE },
          decisionCalls: {},
        },
        ENGINE,
      );
    },
    step: (ledger, application, n) =>
      ledger.evaluateRule(
        {
          applicationId: application,
          elementId: 'review',
          elementInstanceId: `review#${n}`,
          definitionKey: BENCH_PROCESS.key,
          definitionVersion: BENCH_PROCESS.version,
          variables: { parcel: 'P-BENCH' },
        },
        ENGINE,
      ),
  },
  bare: {
    step: (ledger, application, n) =>
      ledger.putFact('encumbrance', `${application}-${n}`, { active: false }, LAND_REGISTRY),
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

async function run(name: string): Promise<Figures> {
  const workload = WORKLOADS[name];
  const dir = mkdtempSync(join(tmpdir(), `govflow-bench-ledger-${name}-`));
  const ledger = await openLedger(
    kind === 'embedded'
      ? { kind, dir: join(dir, 'ledger') }
      : { kind, connectionFile: process.env.FABRIC_CONNECTION ?? '.data/fabric/connection.json' },
  );
  try {
    await workload.setUp?.(ledger);
    // A few steps first so the contract's code paths are compiled before anything is timed.
    for (let n = 1; n <= 5; n++) await workload.step(ledger, `${RUN}-warmup`, n);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const lane = async () => {
      for (let a = next++; a < applications; a = next++) {
        for (let n = 1; n <= steps; n++) {
          const t = performance.now();
          await workload.step(ledger, `${RUN}-app-${a}`, n);
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
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `ledger ${kind}: ${applications} applications x ${steps} steps, ${concurrency} applications at once`,
);
console.log('workload   steps   steps/s   p50 ms   p99 ms');
const results: Record<string, Figures> = {};
for (const name of Object.keys(WORKLOADS)) {
  const figures = await run(name).catch((err: Error) => {
    console.error(`${name}: ${err.message}`);
    process.exit(1);
  });
  results[name] = figures;
  console.log(
    `${name.padEnd(8)} ${String(figures.steps).padStart(7)} ${(figures.steps / figures.seconds).toFixed(1).padStart(9)} ${figures.p50.toFixed(2).padStart(8)} ${figures.p99.toFixed(2).padStart(8)}`,
  );
}
const ratio = (a: Figures, b: Figures) => (a.p50 / b.p50).toFixed(2);
console.log(
  `step recording vs bare submit (p50 latency): record ${ratio(results.record, results.bare)}x, rule ${ratio(results.rule, results.bare)}x`,
);
