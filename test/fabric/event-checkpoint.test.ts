// Chaincode events on a real Fabric network: a consumer that checkpoints each event to a file
// and is restarted (twice) mid-stream while steps keep committing resumes with no event missed
// and none repeated. Runs on the test run's network (test/global-setup.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FileCheckpointer } from '../../ledger/checkpointer.ts';
import { FabricLedger } from '../../ledger/fabric/index.ts';
import { ENGINE, step } from '../ledger/helpers.ts';
import { unique } from '../support/ledgers.ts';

const network = inject('fabricNetworkDir');
const STEPS = 30;

describe.skipIf(!network)(
  `chaincode events on Fabric${network ? '' : ` (skipped: ${inject('fabricUnavailable')})`}`,
  () => {
    let writer: FabricLedger;
    const profile = () => join(network as string, 'profiles', 'GovflowMSP.json');
    beforeAll(() => {
      writer = FabricLedger.open(profile());
    });
    afterAll(() => writer?.close());

    /**
     * One run of a consumer process: its own connection, its checkpoint file opened afresh; it
     * handles this application's StepRecorded events and stops after `stopAfter` of them.
     */
    async function consume(file: string, applicationId: string, handled: string[], stopAfter: number) {
      const reader = FabricLedger.open(profile());
      const checkpointer = await FileCheckpointer.open(file);
      const controller = new AbortController();
      let count = 0;
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        for await (const event of reader.events({
          after: checkpointer.checkpoint,
          signal: controller.signal,
        })) {
          const payload = event.payload as { applicationId?: string; seq?: number };
          if (event.name === 'StepRecorded' && payload.applicationId === applicationId) {
            handled.push(`${payload.seq}`);
            count += 1;
          }
          await checkpointer.checkpointEvent(event);
          if (count === stopAfter) controller.abort();
        }
      } finally {
        clearTimeout(timer);
        await reader.close();
      }
      return count;
    }

    it('a consumer restarted mid-stream resumes with no event missed and none repeated', async () => {
      const applicationId = unique('events-app');
      const file = join(mkdtempSync(join(tmpdir(), 'govflow-fabric-consumer-')), 'checkpoint.json');
      const writing = (async () => {
        for (let n = 1; n <= STEPS; n++) await writer.recordStep(step(applicationId, n), ENGINE);
      })();
      const handled: string[] = [];
      expect(await consume(file, applicationId, handled, 7)).toBe(7);
      expect(await consume(file, applicationId, handled, 11)).toBe(11);
      await writing;
      expect(await consume(file, applicationId, handled, STEPS - 18)).toBe(STEPS - 18);
      expect(handled).toEqual(Array.from({ length: STEPS }, (_, i) => `${i + 1}`));
    });
  },
);
