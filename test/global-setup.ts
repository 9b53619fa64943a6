// One real Temporal dev server (in memory) for the whole test run, from the cached CLI, and a
// real Fabric network in a temporary directory when the Fabric binaries are cached; and the
// console's browser assets, built.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildConsole } from '../scripts/build-console.ts';
import { fabricBinariesMissing } from '../scripts/fabric/binaries.ts';
import { startNetwork, stopNetwork } from '../scripts/fabric/network.ts';
import { type DevServer, startTemporalDevServer } from '../scripts/temporal.ts';
import { freePort, freePortRange } from './support/ports.ts';

let server: DevServer | undefined;
let fabricDir: string | undefined;

/** Fabric runs when its binaries are cached, unless GOVFLOW_TEST_FABRIC=0 says not to. */
async function startFabric(): Promise<{ dir?: string; unavailable?: string }> {
  if (process.env.GOVFLOW_TEST_FABRIC === '0') return { unavailable: 'GOVFLOW_TEST_FABRIC=0' };
  const missing = fabricBinariesMissing();
  if (missing) return { unavailable: missing };
  const dir = mkdtempSync(join(tmpdir(), 'govflow-fabric-'));
  fabricDir = dir;
  await startNetwork(dir, { basePort: await freePortRange(80) });
  return { dir };
}

export async function setup(project: TestProject) {
  // The console's pages load the islands' bundles: built as `npm start` builds them.
  await buildConsole();
  const logDir = mkdtempSync(join(tmpdir(), 'govflow-temporal-'));
  const temporal = startTemporalDevServer({ port: await freePort(), logFile: join(logDir, 'temporal.log') });
  const fabric = startFabric();
  // Whichever fails, the other is stopped again: nothing outlives a failed setup.
  const [started, network] = await Promise.allSettled([temporal, fabric]);
  if (started.status === 'fulfilled') server = started.value;
  if (started.status === 'rejected' || network.status === 'rejected') {
    await teardown();
    throw started.status === 'rejected' ? started.reason : (network as PromiseRejectedResult).reason;
  }
  const fabricNetwork = network.value;
  project.provide('temporalAddress', started.value.address);
  project.provide('fabricNetworkDir', fabricNetwork.dir);
  project.provide('fabricUnavailable', fabricNetwork.unavailable);
}

export async function teardown() {
  await server?.stop();
  if (fabricDir) {
    await stopNetwork(fabricDir);
    rmSync(fabricDir, { recursive: true, force: true });
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The test run's Fabric network (scripts/fabric/network.ts), when one runs. */
    fabricNetworkDir: string | undefined;
    /** Why there is no Fabric network in this run. */
    fabricUnavailable: string | undefined;
  }
}
