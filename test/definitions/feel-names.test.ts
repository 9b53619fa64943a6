// Which variables an approval rule reads (definitions/feel.ts namesRead): only those travel to the
// contract with a rule evaluation, so the rest of an application stays off the transaction.
import { describe, expect, it } from 'vitest';
import { variablesRuleReads } from '../../activities/ledger-steps.ts';
import { namesRead } from '../../definitions/feel.ts';
import type { ApprovalRule } from '../../definitions/model.ts';

describe('namesRead', () => {
  it('keeps top-level names, not the members of a path', () => {
    const read = namesRead(
      ['title.owner = seller and price > 0'],
      ['title', 'owner', 'seller', 'price', 'buyer'],
    );
    expect([...read].sort()).toEqual(['price', 'seller', 'title']);
  });

  it('reads through filters, quantifiers, contexts and multi-word names', () => {
    const known = ['verifications', 'verdict', 'items', 'rate', 'first name', 'x', 'unused'];
    expect([...namesRead(['verifications[1].personKey'], known)]).toEqual(['verifications']);
    expect([...namesRead(['every v in verifications satisfies v.verdict = "ok"'], known)]).toEqual([
      'verifications',
    ]);
    expect([...namesRead(['for i in items return i.price * rate'], known)].sort()).toEqual(['items', 'rate']);
    expect([...namesRead(['{a: x}.a + first name'], known)].sort()).toEqual(['first name', 'x']);
  });

  it('an expression that does not parse reads every known name', () => {
    expect([...namesRead(['title.owner = ', 'price'], ['title', 'price', 'buyer'])].sort()).toEqual([
      'buyer',
      'price',
      'title',
    ]);
  });
});

describe('variablesRuleReads', () => {
  const rule: ApprovalRule = {
    id: 'title-clear',
    facts: [
      { name: 'title', registry: 'land-title', key: 'parcel' },
      { name: 'encumbrance', registry: 'encumbrance', key: 'parcel' },
    ],
    approveWhen: 'title.owner = seller and (encumbrance = null or encumbrance.active = false) and price > 0',
    rejectWhen: 'title = null or title.owner != seller',
  };

  it('sends the fact keys and condition inputs, not the rest of the application', () => {
    const variables = {
      parcel: 'P-1001',
      seller: 'Zhang Wei',
      buyer: 'Chen Jie',
      buyerIdNumber: '110101199003074518',
      price: 1250000,
      documents: ['deed', 'seller-id'],
      title: 'a variable shadowed by the fact',
    };
    expect(variablesRuleReads(rule, variables)).toEqual({
      parcel: 'P-1001',
      seller: 'Zhang Wei',
      price: 1250000,
    });
  });
});
