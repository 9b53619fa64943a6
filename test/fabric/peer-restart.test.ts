// A real Fabric network losing a peer while applications run: the engine's peer (every step
// record needs its endorsement) is stopped mid-way and started again on its ledger. Nothing may
// be lost or written twice: every application's trail holds each of its steps exactly once, in
// order, and verifies. Runs on the test run's network (test/global-setup.ts).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FabricLedger } from '../../ledger/fabric/index.ts';
import { startPeer, stopPeer } from '../../scripts/fabric/network.ts';
import { ENGINE, step } from '../ledger/helpers.ts';
import { unique } from '../support/ledgers.ts';

const network = inject('fabricNetworkDir');
const APPLICATIONS = 6;
const STEPS = 12;

describe.skipIf(!network)(
  `a Fabric peer restarted while applications run${network ? '' : ` (skipped: ${inject('fabricUnavailable')})`}`,
  () => {
    let engine: FabricLedger;
    beforeAll(() => {
      // Retries long enough to outlast the restart, as a workflow activity's retry policy would.
      engine = FabricLedger.open(join(network as string, 'profiles', 'GovflowMSP.json'), {
        retry: { attempts: 40, backoffMs: 100 },
      });
    });
    afterAll(async () => {
      await startPeer(network as string, 'GovflowMSP'); // whatever happened, leave the network whole
      await engine?.close();
    });

    it('loses no step and writes none twice; every trail verifies', async () => {
      const applications = Array.from({ length: APPLICATIONS }, (_, i) => unique(`restart-app-${i}`));
      let recorded = 0;
      const duplicates: string[] = [];
      const run = async (applicationId: string) => {
        for (let n = 1; n <= STEPS; n++) {
          const result = await engine.recordStep(step(applicationId, n), ENGINE);
          if (result.duplicate) duplicates.push(`${applicationId}/${n}`);
          recorded += 1;
        }
      };
      const running = Promise.all(applications.map(run));
      // Stop the engine's peer once a few steps are in, keep it down for a while, start it again.
      while (recorded < APPLICATIONS * 3) await new Promise((r) => setTimeout(r, 20));
      await stopPeer(network as string, 'GovflowMSP');
      const stoppedAt = recorded;
      await new Promise((r) => setTimeout(r, 1500));
      expect(recorded - stoppedAt).toBeLessThanOrEqual(APPLICATIONS); // only those already in flight
      await startPeer(network as string, 'GovflowMSP');
      await running;

      for (const applicationId of applications) {
        const trail = await engine.trail(applicationId);
        expect(trail.map((e) => e.record.seq)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
        expect(trail.map((e) => e.record.elementInstanceId)).toEqual(
          Array.from({ length: STEPS }, (_, i) => step(applicationId, i + 1).elementInstanceId),
        );
        const report = await engine.verify(applicationId);
        expect(report).toMatchObject({ valid: true, records: STEPS, problems: [] });
      }
      // A submit whose commit status was lost to the restart is found again, not written twice.
      expect(duplicates.length).toBeLessThanOrEqual(APPLICATIONS);
    });
  },
);
