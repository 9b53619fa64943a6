// Builds what the API and the worker run on, from the configuration.
import { join } from 'node:path';
import pino from 'pino';
import { loadOrCreateSecret } from '../api/auth.ts';
import { DEPARTMENTS_FILE, departmentDirectory } from '../api/departments.ts';
import type { ApiServices } from '../api/env.ts';
import { ENGINE_ORGANISATION } from '../ledger/embedded/genesis.ts';
import { organisationProfileFile } from '../ledger/fabric/connection.ts';
import { openLedger } from '../ledger/index.ts';
import type { Ledger } from '../ledger/types.ts';
import type { Config } from './config.ts';

export function createLogger(config: Config, name: string) {
  return pino({ name, level: config.logLevel });
}

/**
 * The ledger as organisation `mspId` (default the engine's, GovflowMSP): this process reads that
 * organisation's key and no other's (embedded: its key file; Fabric: its connection profile).
 */
export function ledgerFor(config: Config, mspId: string = ENGINE_ORGANISATION): Promise<Ledger> {
  return config.ledger === 'fabric'
    ? openLedger({ kind: 'fabric', connectionFile: fabricConnectionFile(config, mspId), mspId })
    : openLedger({ kind: 'embedded', dir: join(config.dataDir, 'ledger'), organisations: [mspId] });
}

/**
 * FABRIC_CONNECTION (this process's profile), else `<network dir>/profiles/<MSP id>.json`, the
 * network dir being FABRIC_NETWORK_DIR or `<data dir>/fabric`.
 */
export function fabricConnectionFile(config: Config, mspId: string = ENGINE_ORGANISATION): string {
  if (process.env.FABRIC_CONNECTION) return process.env.FABRIC_CONNECTION;
  const network = process.env.FABRIC_NETWORK_DIR || join(config.dataDir, 'fabric');
  return organisationProfileFile(join(network, 'profiles'), mspId);
}

/** The department directory (api/departments.ts): GOVFLOW_DEPARTMENT_URLS or `<data dir>/departments.json`. */
export function departmentsOf(config: Config) {
  return departmentDirectory({
    env: process.env.GOVFLOW_DEPARTMENT_URLS,
    file: join(config.dataDir, DEPARTMENTS_FILE),
  });
}

export function jwtSecret(config: Config): string {
  return loadOrCreateSecret(join(config.dataDir, 'jwt-secret'));
}

export async function createApiServices(
  config: Config,
  temporalAddress: string,
  ledger: Ledger,
): Promise<ApiServices> {
  // Loaded here: the processes that need no Temporal client (departments') start without it.
  const { Client, Connection } = await import('@temporalio/client');
  const { DecisionStore, DefinitionStore } = await import('../api/definition-store.ts');
  const connection = await Connection.connect({ address: temporalAddress });
  return {
    temporal: new Client({ connection, namespace: config.namespace }),
    taskQueue: config.taskQueue,
    ledger,
    definitions: new DefinitionStore(join(config.dataDir, 'definitions')),
    decisions: new DecisionStore(join(config.dataDir, 'decisions')),
    jwtSecret: jwtSecret(config),
    logger: createLogger(config, 'api'),
    // This process holds the engine's key only: department writes go to the departments' nodes.
    departments: departmentsOf(config),
  };
}
