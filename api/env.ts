// What every route can reach: the services the API was built with and the caller.
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Ledger } from '../ledger/types.ts';
import type { Claims } from './auth.ts';
import type { DecisionStore, DefinitionStore } from './definition-store.ts';
import type { DepartmentDirectory } from './departments.ts';

export interface ApiServices {
  temporal: Client;
  taskQueue: string;
  ledger: Ledger;
  definitions: DefinitionStore;
  /** DMN decision models, deployed through /definitions like processes. */
  decisions: DecisionStore;
  jwtSecret: string;
  logger: Logger;
  /**
   * The departments' own nodes: department writes are passed on to them, since this process holds
   * the engine's key only. Unset (tests holding every organisation in one ledger): written here.
   */
  departments?: DepartmentDirectory;
}

export interface ApiEnv {
  Variables: { user: Claims; requestId: string; log: Logger };
}
