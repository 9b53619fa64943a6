// npm run fabric:up — a local Fabric network under .data/fabric (or FABRIC_NETWORK_DIR), started
// from nothing or again on its ledgers. Needs the binaries from `npm run fabric:install`.
import { defaultNetworkDir, NetworkError, startNetwork } from './network.ts';

const dir = defaultNetworkDir();
console.log(`Starting the Fabric network in ${dir}`);
try {
  const network = await startNetwork(dir, {
    log: console.log,
    basePort: Number(process.env.FABRIC_BASE_PORT) || undefined,
  });
  console.log(`Fabric network up: channel ${network.channel}, chaincode ${network.chaincode}`);
  for (const [mspId, o] of Object.entries(network.organisations))
    console.log(`  ${mspId.padEnd(20)} peer ${o.peer}  profile ${o.profile}`);
  console.log('Stop it with: npm run fabric:down');
} catch (err) {
  console.error(err instanceof NetworkError ? err.message : (err as Error).stack);
  process.exit(1);
}
