// Writes chaincode/collections_config.json, the private data collections a Fabric network approves
// with the chaincode definition (`peer lifecycle chaincode approveformyorg ... --collections-config`),
// from the collections the contract declares (chaincode/src/registries.ts). `npx tsx` this file
// after changing them; test/ledger/private-data.test.ts fails while the file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { collectionsConfig } from '../chaincode/src/registries.ts';

export const COLLECTIONS_CONFIG_FILE = fileURLToPath(
  new URL('../chaincode/collections_config.json', import.meta.url),
);

export const collectionsConfigText = () => `${JSON.stringify(collectionsConfig(), null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(COLLECTIONS_CONFIG_FILE, collectionsConfigText());
  console.log(`wrote ${COLLECTIONS_CONFIG_FILE}`);
}
