// The console's server side, attacked as a browser would be: the session cookie's flags, CSRF on
// every form post, no second path past the API's authorisation, languages, and errors shown
// beside the fields. (test/console/browser.test.ts drives the same pages in Chromium.)
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDevFacts } from '../../scripts/dev-facts.ts';
import { ConsoleClient } from '../support/console-client.ts';
import { deployPropertyRegistration, devPerson, submit, transfer } from '../support/flows.ts';
import { tokens, useHarness } from '../support/harness.ts';
import { trail, waitUntil } from '../support/scenarios.ts';

const h = useHarness();
beforeAll(async () => {
  await seedDevFacts(h.ledger);
  await deployPropertyRegistration(h);
});

const applicantToken = (name: string) =>
  tokens.applicant(name.toLowerCase().replace(' ', '.'), devPerson(name).idNumber);

async function countApplications(sub: string): Promise<number> {
  const res = await h.request('GET', '/applications', { token: await tokens.applicant(sub) });
  return ((await res.json()) as { applications: unknown[] }).applications.length;
}

describe('console sessions', () => {
  it('keeps the token in an HttpOnly, SameSite=Strict cookie scoped to /console, never in the page', async () => {
    const browser = new ConsoleClient(h);
    const token = await tokens.clerk();
    const res = await browser.signIn(token);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gf_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/console/);
    const home = await browser.get('/console/');
    const html = await home.text();
    expect(html).toContain('lin.clerk');
    expect(html).not.toContain(token);
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a forged or expired token with the reason, and sets no session', async () => {
    const browser = new ConsoleClient(h);
    const forged = `${(await tokens.clerk()).slice(0, -4)}AAAA`;
    const res = await browser.signIn(forged);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('the token is not valid');
    expect(browser.cookies.has('gf_session')).toBe(false);
  });

  it('sends nobody outside the console after sign-in', async () => {
    const browser = new ConsoleClient(h);
    for (const back of ['https://evil.example/', '//evil.example/', '/console/../definitions']) {
      const res = await browser.get(
        `/console/login?token=${await tokens.clerk()}&back=${encodeURIComponent(back)}`,
      );
      expect(res.headers.get('location')).toBe('/console/');
    }
  });
});

describe('CSRF', () => {
  it('refuses a form post without the token (403) and submits nothing', async () => {
    const browser = new ConsoleClient(h);
    await browser.signIn(await applicantToken('Wang Fang'));
    const before = await countApplications('wang.fang');
    const fields = {
      parcel: 'P-3003',
      seller: 'Wang Fang',
      buyer: 'Chen Jie',
      buyerIdNumber: devPerson('Chen Jie').idNumber,
      price: '100',
    };
    const without = await browser.post('/console/services/property-registration', fields);
    expect(without.status).toBe(403);
    const wrong = await browser.post('/console/services/property-registration', fields, 'x'.repeat(43));
    expect(wrong.status).toBe(403);
    // Another browser's token is not this browser's.
    const other = new ConsoleClient(h);
    await other.signIn(await applicantToken('Wang Fang'));
    const stolen = await browser.post('/console/services/property-registration', fields, await other.csrf());
    expect(stolen.status).toBe(403);
    expect(await countApplications('wang.fang')).toBe(before);
    const sent = await browser.post('/console/services/property-registration', fields, await browser.csrf());
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/^\/console\/applications\/app-/);
    expect(await countApplications('wang.fang')).toBe(before + 1);
  });

  it('refuses sign-out and task actions without the token', async () => {
    const browser = new ConsoleClient(h);
    await browser.signIn(await tokens.clerk());
    expect((await browser.post('/console/logout', {})).status).toBe(403);
    expect((await browser.post('/console/tasks/app-0000000000000000.t1/claim', {})).status).toBe(403);
    expect(browser.cookies.has('gf_session')).toBe(true);
  });
});

describe('the API decides what a page shows', () => {
  it("answers an applicant opening another's application with the API's 404", async () => {
    const id = await submit(h, transfer('P-1001', 'Zhang Wei'));
    const owner = new ConsoleClient(h);
    await owner.signIn(await applicantToken('Zhang Wei'));
    expect((await owner.get(`/console/applications/${id}`)).status).toBe(200);
    const other = new ConsoleClient(h);
    await other.signIn(await applicantToken('Li Na'));
    const res = await other.get(`/console/applications/${id}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(`no application ${id}`);
    expect((await other.get(`/console/applications/${id}/receipt`)).status).toBe(404);
    expect((await other.get(`/console/applications/${id}/live`)).status).toBe(404);
  });

  it("answers a role's page it may not use with 403, and nobody signed in is sent to sign in", async () => {
    const applicant = new ConsoleClient(h);
    await applicant.signIn(await applicantToken('Zhang Wei'));
    expect((await applicant.get('/console/tasks')).status).toBe(403);
    expect((await applicant.get('/console/definitions')).status).toBe(403);
    const anonymous = new ConsoleClient(h);
    const res = await anonymous.get('/console/tasks');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login?back=%2Fconsole%2Ftasks');
    expect((await anonymous.get('/console/verify')).status).toBe(200);
  });
});

describe('a task another clerk holds', () => {
  it("answers the console's completion with the API's 409 naming the holder, and records nothing", async () => {
    const id = await submit(h, transfer('P-2002', 'Li Na'));
    const waiting = await waitUntil(h, id, 'the review task', (a) => a.openTasks.length === 1);
    const task = waiting.openTasks[0];
    const claim = await h.request('POST', `/tasks/${task.id}/claim`, {
      token: await tokens.clerk(['land-registry'], 'kai.clerk'),
    });
    expect(claim.status).toBe(200);
    const before = (await trail(h, id)).length;
    const browser = new ConsoleClient(h);
    await browser.signIn(await tokens.clerk());
    const res = await browser.post(
      `/console/tasks/${task.id}/complete`,
      { decision: 'approve' },
      await browser.csrf(),
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('kai.clerk');
    const unclaim = await browser.post(`/console/tasks/${task.id}/unclaim`, {}, await browser.csrf());
    expect(unclaim.status).toBe(403);
    expect((await trail(h, id)).length).toBe(before);
  });
});

describe('forms and languages', () => {
  it("shows the API's errors next to the fields they name, and keeps what was typed", async () => {
    const browser = new ConsoleClient(h);
    await browser.signIn(await applicantToken('Zhang Wei'));
    const res = await browser.post(
      '/console/services/property-registration',
      { parcel: 'P-1001', buyer: 'Chen Jie', price: 'lots' },
      await browser.csrf(),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<p class="field-error" id="f-buyerIdNumber-error">[^<]*is required/);
    expect(html).toMatch(/id="f-price-error"/);
    expect(html).toContain('value="P-1001"');
  });

  it('speaks Chinese or English from Accept-Language, and the switch wins', async () => {
    const zh = new ConsoleClient(h, 'zh-CN,zh;q=0.9');
    expect(await (await zh.get('/console/verify')).text()).toContain('核验回执');
    const en = new ConsoleClient(h, 'en-GB');
    const page = await (await en.get('/console/verify')).text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Verify a receipt');
    await en.get('/console/lang?to=zh-CN&back=/console/verify');
    expect(await (await en.get('/console/verify')).text()).toContain('<html lang="zh-CN">');
  });
});
