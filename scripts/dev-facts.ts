// Facts the departments would have put on the ledger, for trying the shipped models locally.
// Written once: a fact an application changed (a transferred title, a registered company name) is
// not put back on the next start. Each fact is written by the organisation that owns its registry;
// names are details, kept in the registry's private data collection, never on the blocks.
import { companyNameKey } from '../activities/handlers/market-regulation.ts';
import { personKey } from '../activities/handlers/public-security.ts';
import { registryOwner } from '../chaincode/src/registries.ts';
import type { Ledger } from '../ledger/types.ts';

/** People of the dev data. ID numbers stay here; the ledger only sees their salted hashes. */
export const DEV_PEOPLE = {
  /** Good standing, tax cleared, social insurance paid up: verified and registered automatically. */
  zhangWei: { name: 'Zhang Wei', idNumber: '110101199003074518' },
  /** No credit record: a public-security clerk verifies her. */
  liNa: { name: 'Li Na', idNumber: '310104198807152341' },
  /** On the dishonest-debtor list (失信被执行人): rejected. */
  wangFang: { name: 'Wang Fang', idNumber: '440305197512303426' },
  /** Owns P-4004. */
  zhaoLei: { name: 'Zhao Lei', idNumber: '510104198511230039' },
  /** Buys in the worked session; owns nothing yet. */
  chenJie: { name: 'Chen Jie', idNumber: '320102199205086617' },
} as const;

/** A company name that is already registered. */
export const TAKEN_COMPANY_NAME = '示例贸易有限公司';

interface DevFact {
  registry: string;
  key: string;
  value: Record<string, unknown>;
  details?: Record<string, unknown>;
}

type DevPerson = (typeof DEV_PEOPLE)[keyof typeof DEV_PEOPLE];

/** A land title, its owner's name and person key kept as details. */
const title = (key: string, value: Record<string, unknown>, owner: DevPerson): DevFact => ({
  registry: 'land-title',
  key,
  value,
  details: { owner: owner.name, ownerKey: personKey(owner.idNumber) },
});

/** A fact about a person: keyed by their person key, never by ID number; their name a detail. */
const aboutPerson = (registry: string, person: DevPerson, value: Record<string, unknown>): DevFact => ({
  registry,
  key: personKey(person.idNumber),
  value,
  details: { name: person.name },
});

function devFacts(): DevFact[] {
  const { zhangWei, liNa, wangFang, zhaoLei } = DEV_PEOPLE;
  return [
    // Clear title, no mortgage: the approval rule approves on its own.
    title('P-1001', { status: 'registered', area: 89.5 }, zhangWei),
    { registry: 'encumbrance', key: 'P-1001', value: { active: false } },
    // A live mortgage: the rule cannot decide, a land-registry clerk reviews.
    title('P-2002', { status: 'registered', area: 120 }, liNa),
    {
      registry: 'encumbrance',
      key: 'P-2002',
      value: { active: true, amount: 800000 },
      details: { holder: 'Bank of Example' },
    },
    // A seized title: the rule rejects.
    title('P-3003', { status: 'seized', area: 64 }, wangFang),
    // Another clear title, for trying the request for missing documents.
    title('P-4004', { status: 'registered', area: 76 }, zhaoLei),
    { registry: 'encumbrance', key: 'P-4004', value: { active: false } },
    // Credit records, tax clearance and social insurance.
    aboutPerson('credit-record', zhangWei, { standing: 'good', blacklisted: false }),
    aboutPerson('credit-record', wangFang, { standing: 'dishonest', blacklisted: true }),
    aboutPerson('tax-clearance', zhangWei, { cleared: true, arrears: 0 }),
    aboutPerson('social-insurance', zhangWei, { status: 'active', arrears: 0 }),
    // A registered company: a new company cannot take its name.
    {
      registry: 'company-name',
      key: companyNameKey(TAKEN_COMPANY_NAME),
      value: {
        status: 'taken',
        name: TAKEN_COMPANY_NAME,
        licenceNo: 'BL-DEV000000001',
        applicationId: 'dev',
      },
    },
  ];
}

/**
 * Writes the dev facts that are not on the ledger yet; returns how many it wrote. `only`: the
 * organisation whose process this is: it writes its own registries' facts (with its own key).
 */
export async function seedDevFacts(ledger: Ledger, only?: string): Promise<number> {
  let written = 0;
  for (const fact of devFacts()) {
    const mspId = registryOwner(fact.registry);
    if (!mspId) throw new Error(`dev fact in unknown registry ${fact.registry}`);
    if (only !== undefined && mspId !== only) continue;
    if ((await ledger.getFact(fact.registry, fact.key)) !== null) continue;
    const seeder = { mspId, id: `${fact.registry}-seed` };
    await ledger.putFact(fact.registry, fact.key, fact.value, seeder, fact.details);
    written++;
  }
  return written;
}
