// npm run fabric:down — stops exactly the processes `fabric:up` started (by their pid files);
// the ledgers stay, so `fabric:up` starts the same network again. Delete the folder to start over.
import { defaultNetworkDir, stopNetwork } from './network.ts';

const dir = defaultNetworkDir();
const stopped = await stopNetwork(dir);
console.log(
  stopped.length ? `Stopped ${stopped.join(', ')} (${dir})` : `No Fabric process running from ${dir}`,
);
