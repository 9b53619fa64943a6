// One key per organisation, in its own process, as `govflow dev` lays it out and a deployment
// would: the main API and the engine worker hold GovflowMSP's private key only (their key dir has
// nothing else), each department runs `govflow worker --org <MSP> --dev` with its own key dir,
// and all of them share the organisations' public keys and one embedded ledger directory. The
// whole property-registration flow runs over HTTP; department writes reach the departments' own
// nodes; an organisation asking another's process to sign for it is refused.
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { personKey as personKeyOf } from '../../activities/handlers/public-security.ts';
import { DEPARTMENT_ORGANISATIONS } from '../../cli/department.ts';
import { ensureOrganisationKeyPair, loadOrCreatePrivateKey, organisationKeyFile } from '../../ledger/keys.ts';
import { DEV_PEOPLE } from '../../scripts/dev-facts.ts';
import { confirmPayment, deployPropertyRegistration, submit, transfer } from '../support/flows.ts';
import { type Harness, JWT_SECRET, tokens } from '../support/harness.ts';
import { freePort } from '../support/ports.ts';
import { govflow, type Proc, stop } from '../support/processes.ts';
import { outcome, trail, verify } from '../support/scenarios.ts';

const work = mkdtempSync(join(tmpdir(), 'govflow-processes-'));
const publicKeys = join(work, 'public-keys');
/** Each organisation's own key dir: its private key only. */
const ownKeys = (mspId: string) => join(work, 'keys', mspId);
const processes: Proc[] = [];
let api = '';
const nodes = new Map<string, string>();

/** The scenario helpers drive an API through `request`: here the main API process over HTTP. */
const remote = {
  request: (
    method: string,
    path: string,
    opts: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
  ) => call(api, method, path, opts),
} as unknown as Harness;

async function call(
  base: string,
  method: string,
  path: string,
  {
    token,
    json,
    body,
    headers = {},
  }: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> },
) {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (json !== undefined) h['content-type'] = 'application/json';
  return fetch(`${base}${path}`, {
    method,
    headers: h,
    body: json !== undefined ? JSON.stringify(json) : body,
  });
}

async function answers(url: string, proc: Proc) {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    if (proc.child.exitCode !== null) throw new Error(`exited before answering at ${url}:\n${proc.output()}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no answer at ${url}:\n${proc.output()}`);
}

beforeAll(async () => {
  // The organisations' key pairs, each private key in its organisation's folder alone.
  for (const mspId of ['GovflowMSP', ...DEPARTMENT_ORGANISATIONS])
    ensureOrganisationKeyPair(mspId, ownKeys(mspId), publicKeys);
  // A trap: were LandRegistryMSP's process to read TaxBureauMSP's key file, it would fail on a folder.
  mkdirSync(organisationKeyFile('TaxBureauMSP', ownKeys('LandRegistryMSP')));
  const ledgerKey = join(work, 'ledger-key.pem');
  loadOrCreatePrivateKey(ledgerKey);

  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  for (const mspId of DEPARTMENT_ORGANISATIONS) nodes.set(mspId, `http://127.0.0.1:${await freePort()}`);
  // CreditMSP's node runs, but the main API is not told where: its writes are 503.
  const directory = [...nodes].filter(([mspId]) => mspId !== 'CreditMSP');
  const env = {
    GOVFLOW_DATA_DIR: join(work, 'data'),
    GOVFLOW_PUBLIC_KEY_DIR: publicKeys,
    GOVFLOW_LEDGER_KEY: ledgerKey,
    GOVFLOW_JWT_SECRET: JWT_SECRET,
    GOVFLOW_DEPARTMENT_URLS: directory.map(([mspId, url]) => `${mspId}=${url}`).join(','),
    GOVFLOW_TASK_QUEUE: `procs-${Math.random().toString(36).slice(2, 8)}`,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    PORT: String(port),
    LOG_LEVEL: 'warn',
  };
  const engine = { ...env, GOVFLOW_KEY_DIR: ownKeys('GovflowMSP') };
  const main = govflow(['api'], engine);
  processes.push(main, govflow(['worker'], engine));
  const departments = DEPARTMENT_ORGANISATIONS.map((mspId) => {
    const port = new URL(nodes.get(mspId)!).port;
    const proc = govflow(['worker', '--org', mspId, '--port', port, '--dev'], {
      ...env,
      GOVFLOW_KEY_DIR: ownKeys(mspId),
    });
    processes.push(proc);
    return proc;
  });
  await answers(api, main);
  await Promise.all(DEPARTMENT_ORGANISATIONS.map((mspId, i) => answers(nodes.get(mspId)!, departments[i])));
  await deployPropertyRegistration(remote);
}, 240_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => stop(p)));
});

describe('one key per organisation, each in its own process', () => {
  it("the engine's key dir holds GovflowMSP's private key alone, and the whole property registration runs", async () => {
    expect(readdirSync(join(ownKeys('GovflowMSP'), 'organisations')).sort()).toEqual([
      'GovflowMSP.pem',
      'GovflowMSP.pub.pem',
    ]);
    const id = await submit(remote, transfer('P-1001', 'Zhang Wei'));
    await confirmPayment(remote, id, 90_000);
    const done = await outcome(remote, id, 90_000);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({ decision: 'approve', decidedBy: 'contract:title-clear' });
    const records = await trail(remote, id);
    expect(records.map((r) => r.elementId)).toEqual([
      'submitted',
      'assignCaseNo',
      'checkDocuments',
      'review',
      'assessTax',
      'paymentConfirmed',
      'sumPayments',
      'transfer',
      'issueCertificate',
      'completed',
    ]);
    expect(await verify(remote, id)).toMatchObject({ valid: true, problems: [] });
    // The title was moved by the land registry's own process (the engine could not have signed it).
    const clerk = await tokens.clerk();
    const title = await call(api, 'GET', '/registries/land-title/P-1001', { token: clerk });
    expect(await title.json()).toMatchObject({ value: { transferredBy: id } });
    const history = await call(api, 'GET', '/registries/land-title/P-1001/history', { token: clerk });
    expect(((await history.json()) as { versions: unknown[] }).versions).toHaveLength(2);
  }, 180_000);

  it("POST /registries on the main API reaches the department's node, which writes as the department", async () => {
    const res = await call(api, 'POST', '/registries/encumbrance', {
      token: await tokens.department('LandRegistryMSP'),
      json: { key: 'P-7007', value: { active: false } },
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ registry: 'encumbrance', key: 'P-7007', organisation: 'LandRegistryMSP' });
    // The department's private data is read at its node too, through the main API.
    const details = await call(api, 'GET', `/registries/land-title/P-1001/details`, {
      token: await tokens.department('LandRegistryMSP'),
    });
    expect(await details.json()).toMatchObject({ details: { owner: 'Chen Jie' } });
  });

  it('a tax bureau token writing a land title is refused by the contract, through its own node', async () => {
    const res = await call(api, 'POST', '/registries/land-title', {
      token: await tokens.department('TaxBureauMSP'),
      json: { key: 'P-1001', value: { status: 'registered', owner: 'someone else' } },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toMatch(
      /organisation TaxBureauMSP may not write registry land-title/,
    );
  });

  it("a department's process asked to sign as another organisation refuses, without reading that key", async () => {
    // Straight to the land registry's node, with a tax bureau token: the process has no such key
    // (a folder stands where it would be: reading it would fail differently).
    const res = await call(nodes.get('LandRegistryMSP')!, 'POST', '/registries/tax-clearance', {
      token: await tokens.department('TaxBureauMSP'),
      json: { key: 'someone', value: { cleared: true, arrears: 0 } },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toMatch(
      /this process may not submit as TaxBureauMSP: it signs for LandRegistryMSP only/,
    );
    // …and it still writes as itself.
    const own = await call(nodes.get('LandRegistryMSP')!, 'POST', '/registries/encumbrance', {
      token: await tokens.department('LandRegistryMSP'),
      json: { key: 'P-8008', value: { active: false } },
    });
    expect(own.status).toBe(200);
  });

  it('a department whose node the main API does not know is 503, naming the organisation', async () => {
    const res = await call(api, 'POST', '/registries/credit-record', {
      token: await tokens.department('CreditMSP'),
      json: { key: 'someone', value: { standing: 'good', blacklisted: false } },
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/no node of CreditMSP is configured/);
    // Its own process wrote its dev facts, with its own key.
    const fact = await call(
      api,
      'GET',
      '/registries/credit-record/' + personKeyOf(DEV_PEOPLE.zhangWei.idNumber),
      {
        token: await tokens.clerk(),
      },
    );
    expect(fact.status).toBe(200);
  });
});
