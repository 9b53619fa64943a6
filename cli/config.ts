// Configuration from the environment, with the embedded defaults for one machine.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Config {
  dataDir: string;
  host: string;
  port: number;
  /** An existing Temporal server; when unset, `dev` starts one on temporalPort. */
  temporalAddress?: string;
  temporalPort: number;
  temporalUiPort: number;
  namespace: string;
  taskQueue: string;
  ledger: 'embedded' | 'fabric';
  apiUrl: string;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  const ledger = env.LEDGER ?? 'embedded';
  if (ledger !== 'embedded' && ledger !== 'fabric')
    throw new Error(`LEDGER must be embedded or fabric, not "${ledger}"`);
  return {
    dataDir: resolve(REPO_ROOT, env.GOVFLOW_DATA_DIR ?? '.data'),
    host: env.HOST ?? '127.0.0.1',
    port,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalPort: Number(env.TEMPORAL_PORT ?? 7233),
    temporalUiPort: Number(env.TEMPORAL_UI_PORT ?? 8233),
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.GOVFLOW_TASK_QUEUE ?? 'govflow',
    ledger,
    apiUrl: env.GOVFLOW_URL ?? `http://127.0.0.1:${port}`,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
