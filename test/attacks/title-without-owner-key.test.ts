// The shipped title-clear rule compares the title owner's person key with the applicant's. A title
// registered before owners had person keys has none, and a token without an ID number gives the
// applicant none: in FEEL `null = null` holds, so nobody's key must never approve a transfer.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';
import type { ApprovalRule } from '../../definitions/model.ts';
import type { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { ENGINE, LAND_REGISTRY, openTemp, registerProcess } from '../ledger/helpers.ts';

const source = readFileSync(new URL('../../definitions/property-registration.bpmn', import.meta.url));

let ledger: EmbeddedLedger;
let definition: { definitionKey: string; definitionVersion: number };
beforeEach(async () => {
  const result = await compile(source);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  const rule = (result.model.elements.review as { rule?: ApprovalRule }).rule!;
  ({ ledger } = await openTemp());
  definition = await registerProcess(ledger, 'property-registration', { rules: { review: rule } });
  // A title from before person keys: its owner is named, but has no key.
  await ledger.putFact('land-title', 'P-0900', { status: 'registered', area: 60 }, LAND_REGISTRY, {
    owner: 'Wang Fang',
  });
  await ledger.putFact('encumbrance', 'P-0900', { active: false }, LAND_REGISTRY);
});
afterEach(() => ledger.close());

const evaluate = (applicant: { id: string; personKey: string | null }) =>
  ledger.evaluateRule(
    {
      applicationId: 'app-theft',
      elementId: 'review',
      elementInstanceId: 'review#1',
      ...definition,
      variables: { parcel: 'P-0900', price: 1, applicant },
    },
    ENGINE,
  );

describe('title-clear with no person key on either side', () => {
  it('an applicant without an ID number is not approved to sell a title without an owner key', async () => {
    const { evaluation } = await evaluate({ id: 'mallory', personKey: null });
    expect(evaluation.decision).not.toBe('approve');
    expect(JSON.stringify(evaluation.reasons)).not.toContain('Wang Fang');
  });
});
