// One real Temporal dev server (in memory) for the whole test run, from the cached CLI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type DevServer, startTemporalDevServer } from '../scripts/temporal.ts';
import { freePort } from './support/ports.ts';

let server: DevServer | undefined;

export async function setup(project: TestProject) {
  const logDir = mkdtempSync(join(tmpdir(), 'govflow-temporal-'));
  server = await startTemporalDevServer({ port: await freePort(), logFile: join(logDir, 'temporal.log') });
  project.provide('temporalAddress', server.address);
}

export async function teardown() {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}
