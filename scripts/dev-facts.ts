// Facts the departments would have put on the ledger, for trying the shipped models locally.
// Written once: a title transferred by an application is not put back on the next start.
import type { Ledger } from '../ledger/types.ts';

const LAND_REGISTRY = { mspId: 'LandRegistryMSP', id: 'land-registry-seed' };

export const DEV_FACTS: { registry: string; key: string; value: Record<string, unknown> }[] = [
  // Clear title, no mortgage: the approval rule approves on its own.
  { registry: 'land-title', key: 'P-1001', value: { owner: 'Zhang Wei', status: 'registered', area: 89.5 } },
  { registry: 'encumbrance', key: 'P-1001', value: { active: false } },
  // A live mortgage: the rule cannot decide, a land-registry clerk reviews.
  { registry: 'land-title', key: 'P-2002', value: { owner: 'Li Na', status: 'registered', area: 120 } },
  {
    registry: 'encumbrance',
    key: 'P-2002',
    value: { active: true, holder: 'Bank of Example', amount: 800000 },
  },
  // A seized title: the rule rejects.
  { registry: 'land-title', key: 'P-3003', value: { owner: 'Wang Fang', status: 'seized', area: 64 } },
];

export async function seedDevFacts(ledger: Ledger): Promise<number> {
  let written = 0;
  for (const fact of DEV_FACTS) {
    if ((await ledger.getFact(fact.registry, fact.key)) !== null) continue;
    await ledger.putFact(fact.registry, fact.key, fact.value, LAND_REGISTRY);
    written++;
  }
  return written;
}
