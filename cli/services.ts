// Builds what the API and the worker run on, from the configuration.
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { loadOrCreateSecret } from '../api/auth.ts';
import { DecisionStore, DefinitionStore } from '../api/definition-store.ts';
import type { ApiServices } from '../api/env.ts';
import { openLedger } from '../ledger/index.ts';
import type { Ledger } from '../ledger/types.ts';
import type { Config } from './config.ts';

export function createLogger(config: Config, name: string) {
  return pino({ name, level: config.logLevel });
}

export function ledgerFor(config: Config): Promise<Ledger> {
  return config.ledger === 'fabric'
    ? openLedger({ kind: 'fabric', connectionFile: fabricConnectionFile(config) })
    : openLedger({ kind: 'embedded', dir: join(config.dataDir, 'ledger') });
}

/** FABRIC_CONNECTION, or the connection profile under the data directory. */
export function fabricConnectionFile(config: Config): string {
  return process.env.FABRIC_CONNECTION || join(config.dataDir, 'fabric', 'connection.json');
}

export function jwtSecret(config: Config): string {
  return loadOrCreateSecret(join(config.dataDir, 'jwt-secret'));
}

export async function createApiServices(
  config: Config,
  temporalAddress: string,
  ledger: Ledger,
): Promise<ApiServices> {
  const connection = await Connection.connect({ address: temporalAddress });
  return {
    temporal: new Client({ connection, namespace: config.namespace }),
    taskQueue: config.taskQueue,
    ledger,
    definitions: new DefinitionStore(join(config.dataDir, 'definitions')),
    decisions: new DecisionStore(join(config.dataDir, 'decisions')),
    jwtSecret: jwtSecret(config),
    logger: createLogger(config, 'api'),
  };
}
