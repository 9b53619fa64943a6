// Who may publish a message or signal is declared in the model (govflow:publishers); everyone else
// is refused with 403 naming the event and who may publish it, before anything is delivered.
import { beforeAll, describe, expect, it } from 'vitest';
import * as b from '../support/bpmn-builder.ts';
import { tokens, useHarness } from '../support/harness.ts';
import { deploy, start, waitUntil } from '../support/scenarios.ts';

const h = useHarness();

const send = async (token: string, name: string, correlationKey = 'K-1', variables = {}) =>
  h.request('POST', '/messages', { token, json: { name, correlationKey, variables, timeToLive: 0 } });
const signal = async (token: string, name: string) =>
  h.request('POST', '/signals', { token, json: { name } });
const detailOf = async (res: Response) => ((await res.json()) as { detail: string }).detail;

const catching = (key: string, trigger: string) =>
  b.bpmn(key, b.start('s'), b.catchEvent('c', trigger), b.end('e'), ...b.chain('s', 'c', 'e'));

beforeAll(async () => {
  await deploy(
    h,
    catching('tax-paid', b.message('tax-paid', '=caseNo', { publishers: 'department:TaxBureauMSP' })),
  );
  await deploy(
    h,
    catching('site-checked', b.message('site-checked', '=caseNo', { publishers: 'clerk:inspectors' })),
  );
  await deploy(h, catching('internal', b.message('internal-step', '=caseNo', { publishers: 'engine' })));
  await deploy(h, catching('answer', b.message('answer-given', '=caseNo', { publishers: 'applicant' })));
  await deploy(
    h,
    catching('recall', b.signal('recall-issued', { publishers: 'department:MarketRegulationMSP' })),
  );
  await deploy(h, catching('open-signal', b.signal('applicants-may-not', { publishers: 'applicant' })));
});

describe('message and signal publishers', () => {
  it('department:<MSP> admits that department only', async () => {
    expect((await send(await tokens.department('TaxBureauMSP'), 'tax-paid')).status).toBe(202);
    for (const token of [
      await tokens.department('LandRegistryMSP'),
      await tokens.clerk(['TaxBureauMSP']),
      await tokens.applicant(),
      await tokens.designer(),
    ]) {
      const res = await send(token, 'tax-paid');
      expect(res.status).toBe(403);
      expect(await detailOf(res)).toBe('message "tax-paid" may be published only by department:TaxBureauMSP');
    }
  });

  it('clerk:<group> admits clerks of that group only', async () => {
    expect((await send(await tokens.clerk(['inspectors']), 'site-checked')).status).toBe(202);
    expect((await send(await tokens.clerk(['land-registry']), 'site-checked')).status).toBe(403);
    expect((await send(await tokens.department('inspectors'), 'site-checked')).status).toBe(403);
  });

  it('engine: no caller of the API, only the processes themselves', async () => {
    for (const token of [await tokens.clerk(['clerks']), await tokens.department('TaxBureauMSP')]) {
      const res = await send(token, 'internal-step');
      expect(res.status).toBe(403);
      expect(await detailOf(res)).toBe('message "internal-step" may be published only by engine');
    }
  });

  it('applicant: only to an application it submitted', async () => {
    const id = await start(h, 'answer', { caseNo: 'A-1' }, 'ann');
    await waitUntil(h, id, 'waiting', (a) => a.status === 'running' && a.variables?.caseNo === 'A-1');
    const other = await send(await tokens.applicant('bob'), 'answer-given', 'A-1');
    expect(other.status).toBe(403);
    expect(await detailOf(other)).toMatch(/only to an application it submitted/);
    expect((await send(await tokens.applicant('ann'), 'answer-given', 'A-1')).status).toBe(202);
    // Not opened to staff by the model: a clerk cannot answer for the applicant.
    expect((await send(await tokens.clerk(['clerks']), 'answer-given', 'A-1')).status).toBe(403);
  });

  it('signals: the declared publisher only; applicants never, as a signal reaches every application', async () => {
    expect((await signal(await tokens.department('MarketRegulationMSP'), 'recall-issued')).status).toBe(202);
    expect((await signal(await tokens.department('TaxBureauMSP'), 'recall-issued')).status).toBe(403);
    const res = await signal(await tokens.applicant(), 'applicants-may-not');
    expect(res.status).toBe(403);
    expect(await detailOf(res)).toMatch(/never: a signal reaches every application/);
  });

  it('a name two models use is open only to whom both admit', async () => {
    await deploy(
      h,
      catching(
        'tax-paid-too',
        b.message('tax-paid', '=ref', { publishers: 'department:TaxBureauMSP,clerk:tax' }),
      ),
    );
    // The first model still admits only the tax bureau, so a tax clerk cannot reach it through the second.
    const res = await send(await tokens.clerk(['tax']), 'tax-paid');
    expect(res.status).toBe(403);
    expect(await detailOf(res)).toBe(
      'message "tax-paid" may be published only by department:TaxBureauMSP, clerk:tax',
    );
    expect((await send(await tokens.department('TaxBureauMSP'), 'tax-paid')).status).toBe(202);
  });
});
