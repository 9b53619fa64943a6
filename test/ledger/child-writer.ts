// Run by the two-process test as a separate process: writes steps for one application into a
// ledger directory another process is writing to at the same time.
// Usage: node --import tsx test/ledger/child-writer.ts <dir> <applicationId> <count>
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { ENGINE, step } from './helpers.ts';

const [dir, applicationId, count] = process.argv.slice(2);
const ledger = await EmbeddedLedger.open(dir);
process.stdout.write('open\n'); // the parent starts writing now, so the two really overlap
for (let n = 1; n <= Number(count); n++) await ledger.recordStep(step(applicationId, n), ENGINE);
await ledger.close();
process.stdout.write(`wrote ${count}\n`);
