// Deploying a model: compile, register it on the ledger, store the version, arm its timer start.
import type { DeployOutcome } from './definition-store.ts';
import type { ApiServices } from './env.ts';
import { armTimerStart } from './timer-start.ts';

export async function deployDefinition(
  services: ApiServices,
  xml: string | Uint8Array,
  deployer: string,
): Promise<DeployOutcome> {
  const outcome = await services.definitions.deploy(xml, deployer, async (def) => {
    // Registered on the ledger first: a definition that is not there is never stored.
    await services.ledger.registerDefinition(
      { key: def.key, version: def.version, hash: def.hash, deployer },
      { mspId: 'GovflowMSP', id: deployer },
    );
  });
  if (outcome.ok && outcome.created) await armTimerStart(services, outcome.definition);
  return outcome;
}
