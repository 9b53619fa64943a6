// `govflow dev` stopped and started again: definitions, running applications, open tasks and the
// ledger are all still there, and the application can go on to completion.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signToken } from '../../api/auth.ts';
import { DEV_PEOPLE } from '../../scripts/dev-facts.ts';
import { until } from '../support/harness.ts';
import { freePort } from '../support/ports.ts';
import { govflow, type Proc, stop } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'govflow-restart-'));
let dev: Proc | undefined;
afterAll(async () => {
  if (dev) await stop(dev);
});

async function startDev(ports: Record<string, string>) {
  dev = govflow(['dev'], { GOVFLOW_DATA_DIR: dataDir, TEMPORAL_ADDRESS: '', ...ports });
  await dev.waitForOutput(/govflow is up/, 300_000);
  return dev;
}

describe('restarting the whole product', () => {
  it('keeps definitions, running applications, open tasks and the ledger', async () => {
    const ports = {
      PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    };
    const base = `http://127.0.0.1:${ports.PORT}`;
    await startDev(ports);
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    const as = (role: 'applicant' | 'clerk' | 'auditor' | 'department', groups: string[] = []) =>
      signToken(secret, { sub: `restart-${role}`, role, groups });
    // The seller applies: Li Na, whose ID number is in her token.
    const seller = signToken(secret, {
      sub: 'li.na',
      role: 'applicant',
      groups: [],
      idNumber: DEV_PEOPLE.liNa.idNumber,
    });
    const call = async (method: string, path: string, token: string, json?: unknown) => {
      const res = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(json ? { 'content-type': 'application/json' } : {}),
        },
        body: json ? JSON.stringify(json) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any };
    };

    const submitted = await call('POST', '/applications', await seller, {
      processKey: 'property-registration',
      data: {
        parcel: 'P-2002',
        seller: 'Li Na',
        buyer: 'Chen Jie',
        buyerIdNumber: DEV_PEOPLE.chenJie.idNumber,
        price: 990000,
        documents: ['deed', 'seller-id', 'buyer-id'],
      },
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;
    const auditor = await as('auditor');
    const task = await until('an open task', async () => {
      const app = await call('GET', `/applications/${id}`, auditor);
      return app.body.openTasks?.[0] as { id: string } | undefined;
    });

    expect((await stop(dev!)).code).toBe(0);
    await startDev(ports);

    const definitions = await call('GET', '/definitions', auditor);
    expect(definitions.body).toContainEqual(
      expect.objectContaining({ key: 'property-registration', version: 1 }),
    );
    const app = await call('GET', `/applications/${id}`, auditor);
    expect(app.body).toMatchObject({
      status: 'running',
      openTasks: [expect.objectContaining({ id: task.id })],
    });
    const clerk = await as('clerk', ['land-registry']);
    const inbox = await until('the task in the inbox', async () => {
      const res = await call('GET', '/tasks?group=land-registry', clerk);
      return res.body.some((t: { id: string }) => t.id === task.id) ? res.body : undefined;
    });
    expect(inbox.length).toBeGreaterThan(0);

    expect((await call('POST', `/tasks/${task.id}/complete`, clerk, { decision: 'approve' })).status).toBe(
      200,
    );
    // The payment system confirms the deed tax payment, by the application's case number.
    const assessed = await until('the deed tax assessed', async () => {
      const res = await call('GET', `/applications/${id}`, auditor);
      return typeof res.body.variables?.deedTax === 'number' ? res.body.variables : undefined;
    });
    const paid = await call('POST', '/messages', await as('department', ['TaxBureauMSP']), {
      name: 'payment-confirmed',
      correlationKey: assessed.caseNo,
      variables: { amountPaid: assessed.deedTax },
    });
    expect(paid.status).toBe(202);
    const done = await until('completion', async () => {
      const res = await call('GET', `/applications/${id}`, auditor);
      return res.body.status === 'completed' ? res.body : undefined;
    });
    expect(done.status).toBe('completed');
    const trail = await call('GET', `/applications/${id}/trail`, auditor);
    expect(trail.body.records.map((r: { elementId: string }) => r.elementId)).toEqual([
      'submitted',
      'assignCaseNo',
      'checkDocuments',
      'review',
      'review',
      'assessTax',
      'paymentConfirmed',
      'sumPayments',
      'transfer',
      'issueCertificate',
      'completed',
    ]);
    expect(trail.body.records.map((r: { decision: string }) => r.decision)).toEqual([
      'submitted',
      'completed',
      'completed',
      'manual',
      'approve',
      'completed',
      'triggered',
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    // The other shipped models were deployed too.
    for (const key of ['business-setup', 'identity-verification'])
      expect(definitions.body).toContainEqual(expect.objectContaining({ key, version: 1 }));
    expect((await call('GET', `/applications/${id}/verify`, auditor)).body.valid).toBe(true);
  }, 600_000);
});
