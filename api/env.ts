// What every route can reach: the services the API was built with and the caller.
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Ledger } from '../ledger/types.ts';
import type { Claims } from './auth.ts';
import type { DecisionStore, DefinitionStore } from './definition-store.ts';

export interface ApiServices {
  temporal: Client;
  taskQueue: string;
  ledger: Ledger;
  definitions: DefinitionStore;
  /** DMN decision models, deployed through /definitions like processes. */
  decisions: DecisionStore;
  jwtSecret: string;
  logger: Logger;
}

export interface ApiEnv {
  Variables: { user: Claims; requestId: string; log: Logger };
}
