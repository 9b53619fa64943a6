// On a real Fabric network, the per-process layout in one test process (test/support/harness.ts
// with `ledger: 'fabric'`): the API holds GovflowMSP's profile only and passes department writes
// on to the departments' nodes, each with its own organisation's profile.
import { describe, expect, inject, it } from 'vitest';
import { type Harness, startHarness, tokens } from '../support/harness.ts';
import { unique } from '../support/ledgers.ts';

const network = inject('fabricNetworkDir');

describe.skipIf(!network)(
  `one organisation per Fabric connection${network ? '' : ` (skipped: ${inject('fabricUnavailable')})`}`,
  () => {
    it("department writes reach the department's own connection; the engine's cannot write them", async () => {
      const h: Harness = await startHarness({ ledger: 'fabric', withWorker: false, withDepartments: false });
      try {
        const key = unique('P-org');
        const put = await h.request('POST', '/registries/encumbrance', {
          token: await tokens.department('LandRegistryMSP'),
          json: { key, value: { active: false } },
        });
        expect(put.status, await put.clone().text()).toBe(200);
        expect(await put.json()).toMatchObject({ organisation: 'LandRegistryMSP' });
        expect(await h.ledger.getFact('encumbrance', key)).toEqual({ active: false });

        const theft = await h.request('POST', '/registries/land-title', {
          token: await tokens.department('TaxBureauMSP'),
          json: { key, value: { status: 'registered' } },
        });
        expect(theft.status).toBe(403);
        expect(((await theft.json()) as { detail: string }).detail).toMatch(
          /organisation TaxBureauMSP may not write registry land-title/,
        );

        // The engine's own connection has no department identity to write with.
        await expect(
          h.ledger.putFact('encumbrance', key, { active: true }, { mspId: 'LandRegistryMSP', id: 'x' }),
        ).rejects.toThrow(
          /this process holds only GovflowMSP's identity; it cannot submit as LandRegistryMSP/,
        );
        expect(await h.ledgerOf('LandRegistryMSP').getFact('encumbrance', key)).toEqual({ active: false });
      } finally {
        await h.stop();
      }
    });
  },
);
