// /registries through the API on a real embedded ledger: the contract decides who writes a
// registry, readers are clerks, auditors and departments; and the definitions' ledger records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../api/auth.ts';
import { deployPropertyRegistration } from '../support/flows.ts';
import { type Harness, JWT_SECRET, startHarness, tokens } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ withWorker: false });
});
afterAll(() => h?.stop());

const department = (groups: string[], sub = 'dept.user') =>
  signToken(JWT_SECRET, { sub, role: 'department', groups });

async function call(method: string, path: string, token: string, json?: unknown) {
  const res = await h.request(method, path, { token, json });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as any };
}

describe('writing facts', () => {
  it('the owning organisation writes; another is refused by the contract and nothing changes', async () => {
    const land = await department(['LandRegistryMSP']);
    const written = await call('POST', '/registries/land-title', land, {
      key: 'P-1',
      value: { status: 'registered' },
    });
    expect(written.status).toBe(200);
    expect(written.body).toEqual({
      registry: 'land-title',
      key: 'P-1',
      txId: expect.stringMatching(/^[0-9a-f]{64}$/),
      organisation: 'LandRegistryMSP',
    });

    const tax = await department(['TaxBureauMSP']);
    const refused = await call('POST', '/registries/land-title', tax, {
      key: 'P-1',
      value: { status: 'seized' },
    });
    expect(refused.status).toBe(403);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body.detail).toBe('organisation TaxBureauMSP may not write registry land-title');

    const clerk = await tokens.clerk();
    const after = await call('GET', '/registries/land-title/P-1', clerk);
    expect(after.body).toEqual({ registry: 'land-title', key: 'P-1', value: { status: 'registered' } });
    const history = await call('GET', '/registries/land-title/P-1/history', clerk);
    expect(history.body.versions.map((v: any) => v.txId)).toEqual([written.body.txId]);
  });

  it('keeps personal fields as details: readable by collection members only, never in the public value', async () => {
    const land = await department(['LandRegistryMSP']);
    const inValue = await call('POST', '/registries/land-title', land, {
      key: 'P-7',
      value: { status: 'registered', owner: 'Zhao Lei' },
    });
    expect(inValue.status).toBe(422);
    expect(inValue.body.detail).toMatch(/field "owner" is personal in registry land-title/);

    const written = await call('POST', '/registries/land-title', land, {
      key: 'P-7',
      value: { status: 'registered' },
      details: { owner: 'Zhao Lei' },
    });
    expect(written.status).toBe(200);
    const fact = await call('GET', '/registries/land-title/P-7', await tokens.clerk());
    expect(fact.body.value).toEqual({
      status: 'registered',
      detailsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const details = await call('GET', '/registries/land-title/P-7/details', land);
    expect([details.status, details.body.details]).toEqual([200, { owner: 'Zhao Lei' }]);

    const tax = await call('GET', '/registries/land-title/P-7/details', await department(['TaxBureauMSP']));
    expect(tax.status).toBe(403);
    expect(tax.body.detail).toMatch(/TaxBureauMSP is not a member of collection/);
    expect((await call('GET', '/registries/land-title/P-7/details', await tokens.clerk())).status).toBe(403);
  });

  it('a token naming several organisations writes as the one owning the registry', async () => {
    const both = await department(['TaxBureauMSP', 'land-registry', 'LandRegistryMSP']);
    const res = await call('POST', '/registries/encumbrance', both, { key: 'P-1', value: { active: false } });
    expect(res.status).toBe(200);
    expect(res.body.organisation).toBe('LandRegistryMSP');
    const neither = await department(['TaxBureauMSP', 'CreditMSP']);
    expect((await call('POST', '/registries/encumbrance', neither, { key: 'P-1', value: {} })).status).toBe(
      403,
    );
  });

  it('refuses a token without an organisation, and roles other than department', async () => {
    const none = await call('POST', '/registries/land-title', await department(['land-registry']), {
      key: 'P-2',
      value: { status: 'registered' },
    });
    expect(none.status).toBe(403);
    expect(none.body.detail).toMatch(/names no department organisation/);
    const engine = await call('GET', '/registries/land-title/P-2/details', await department(['GovflowMSP']));
    expect(engine.status).toBe(403);
    const clerk = await call('POST', '/registries/land-title', await tokens.clerk(['LandRegistryMSP']), {
      key: 'P-2',
      value: { status: 'registered' },
    });
    expect(clerk.status).toBe(403);
    expect((await call('GET', '/registries/land-title/P-2', await tokens.auditor())).status).toBe(404);
  });

  it('an unknown registry is 404 naming it; a bad body is 422 naming the field', async () => {
    const land = await department(['LandRegistryMSP']);
    const unknown = await call('POST', '/registries/moon-title', land, { key: 'K', value: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('moon-title');
    const missingValue = await call('POST', '/registries/land-title', land, { key: 'P-3' });
    expect(missingValue.status).toBe(422);
    expect(missingValue.body.errors.map((e: any) => e.field)).toEqual(['value']);
    const nullValue = await call('POST', '/registries/land-title', land, { key: 'P-3', value: null });
    expect(nullValue.body.errors.map((e: any) => e.field)).toEqual(['value']);
    const badKey = await call('POST', '/registries/land-title', land, { key: 42, value: {} });
    expect(badKey.status).toBe(422);
    expect(badKey.body.errors.map((e: any) => e.field)).toEqual(['key']);
    // What only the contract knows is wrong with the value is a 422 too, not a 500.
    const personal = await call('POST', '/registries/land-title', land, {
      key: 'P-3',
      value: { owner: 'X' },
    });
    expect(personal.status).toBe(422);
    expect((await call('GET', '/registries/land-title/P-3', land)).status).toBe(404);
  });
});

describe('reading facts', () => {
  it('clerks, auditors and departments read; applicants and designers may not', async () => {
    const land = await department(['LandRegistryMSP']);
    const key = 'Lot 7/B';
    const path = `/registries/property-certificate/${encodeURIComponent(key)}`;
    await call('POST', '/registries/property-certificate', land, { key, value: { parcel: 'P-7' } });
    for (const token of [await tokens.clerk(), await tokens.auditor(), await department(['TaxBureauMSP'])]) {
      const res = await call('GET', path, token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ registry: 'property-certificate', key, value: { parcel: 'P-7' } });
    }
    for (const token of [await tokens.applicant(), await tokens.designer()]) {
      expect((await call('GET', path, token)).status).toBe(403);
      expect((await call('GET', `${path}/history`, token)).status).toBe(403);
    }
  });

  it('history lists every version, newest first', async () => {
    const tax = await department(['TaxBureauMSP']);
    const txIds: string[] = [];
    for (const clear of [false, true]) {
      const res = await call('POST', '/registries/tax-clearance', tax, { key: 'T-1', value: { clear } });
      txIds.push(res.body.txId);
    }
    const res = await call('GET', '/registries/tax-clearance/T-1/history', await tokens.auditor());
    expect(res.status).toBe(200);
    expect(res.body.versions.map((v: any) => [v.txId, v.value])).toEqual([
      [txIds[1], { clear: true }],
      [txIds[0], { clear: false }],
    ]);
    const unknown = await call('GET', '/registries/moon-title/T-1/history', await tokens.auditor());
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('moon-title');
  });

  it('lists the registries with their owners, and documents the routes', async () => {
    const res = await call('GET', '/registries', await tokens.applicant());
    expect(res.body).toContainEqual({ registry: 'land-title', owner: 'LandRegistryMSP' });
    expect(res.body).toContainEqual({ registry: 'company-name', owner: 'MarketRegulationMSP' });
    expect((await h.request('GET', '/registries')).status).toBe(401);
    const doc = (await (await h.request('GET', '/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/registries',
        '/registries/{registry}',
        '/registries/{registry}/{key}',
        '/registries/{registry}/{key}/history',
        '/definitions/{key}/ledger',
        '/definitions/{key}/versions/{version}/ledger',
      ]),
    );
  });
});

describe('definitions on the ledger', () => {
  it('anyone can read the ledger record of a deployed version, matching the deployed hash', async () => {
    const { key, version, hash } = await deployPropertyRegistration(h);
    const applicant = await tokens.applicant();
    const record = await call('GET', `/definitions/${key}/versions/${version}/ledger`, applicant);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ key, version, hash, deployer: 'dana', registeredBy: 'GovflowMSP' });
    expect(record.body.txId).toMatch(/^[0-9a-f]{64}$/);
    const list = await call('GET', `/definitions/${key}/ledger`, applicant);
    expect(list.body.versions).toEqual([record.body]);
    expect((await call('GET', `/definitions/${key}/versions/99/ledger`, applicant)).status).toBe(404);
    expect((await call('GET', '/definitions/nothing/ledger', applicant)).status).toBe(404);
    expect((await call('GET', `/definitions/${key}/versions/0/ledger`, applicant)).status).toBe(422);
    // a key the contract refuses (a NUL inside) is the caller's mistake, not a server error
    const refused = await call('GET', '/definitions/bad%00key/ledger', applicant);
    expect([refused.status, refused.type]).toEqual([422, expect.stringContaining('problem+json')]);
  });
});
