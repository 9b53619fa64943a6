// Deploying a model: compile, register it on the ledger, store the version; a process also gets
// its timer start armed. BPMN processes and DMN decision models share the one endpoint. A process
// is registered with what decides its steps and its model hash (processRegistration).
import { isDmnSource } from '../definitions/dmn/index.ts';
import { type Deployed, type DeployOutcome, processRegistration } from './definition-store.ts';
import type { ApiServices } from './env.ts';
import { armTimerStart } from './timer-start.ts';

export type DeployedKind = 'process' | 'decisions';

export async function deployDefinition(
  services: ApiServices,
  source: string | Uint8Array,
  deployer: string,
): Promise<DeployOutcome<unknown> & { kind: DeployedKind }> {
  const as = { mspId: 'GovflowMSP', id: deployer };
  const registration = (def: Deployed<unknown>) => ({
    key: def.key,
    version: def.version,
    hash: def.hash,
    deployer,
  });
  // Registered on the ledger first: a definition that is not there is never stored.
  if (isDmnSource(source)) {
    const outcome = await services.decisions.deploy(source, deployer, async (def) => {
      await services.ledger.registerDecisions({ ...registration(def), graph: def.model }, as);
    });
    return { ...outcome, kind: 'decisions' };
  }
  const outcome = await services.definitions.deploy(source, deployer, async (def) => {
    await services.ledger.registerDefinition(processRegistration(def), as);
  });
  if (outcome.ok && outcome.created) await armTimerStart(services, outcome.definition);
  return { ...outcome, kind: 'process' };
}
