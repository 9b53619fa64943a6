// Steps the end-to-end tests share: deploy the shipped model, submit, wait for an outcome.
import { expect } from 'vitest';
import { seedDevFacts } from '../../scripts/dev-facts.ts';
import { type Harness, shippedModel, startHarness, tokens, until } from './harness.ts';
import { deploy } from './scenarios.ts';

/** Deploys a model shipped in definitions/ through the API. */
export const deployShipped = (h: Harness, file: string) => deploy(h, shippedModel(file));

export const deployPropertyRegistration = (h: Harness) => deployShipped(h, 'property-registration.bpmn');

/** A harness with the dev facts on its ledger and property-registration deployed. */
export async function propertyRegistrationHarness(
  opts: Parameters<typeof startHarness>[0] = {},
): Promise<Harness> {
  const h = await startHarness(opts);
  await seedDevFacts(h.ledger);
  await deployPropertyRegistration(h);
  return h;
}

/** The documents a transfer needs (land-registry.check-documents). */
export const ALL_DOCUMENTS = ['deed', 'seller-id', 'buyer-id'];

export const transfer = (
  parcel: string,
  seller: string,
  buyer = 'Chen Jie',
  price = 1_250_000,
  documents: unknown[] = ALL_DOCUMENTS,
) => ({
  parcel,
  seller,
  buyer,
  price,
  documents,
});

/**
 * Confirms the deed-tax payment of a property registration once the tax is assessed, as the
 * payment system would: message `payment-confirmed`, correlated by the application's case number.
 */
export async function confirmPayment(h: Harness, id: string, timeoutMs?: number) {
  const app = await waitFor(
    h,
    id,
    (a) => typeof a.variables?.deedTax === 'number',
    'the deed tax assessed',
    timeoutMs,
  );
  const { caseNo, deedTax } = app.variables as { caseNo: string; deedTax: number };
  const res = await h.request('POST', '/messages', {
    token: await tokens.applicant(),
    json: {
      name: 'payment-confirmed',
      correlationKey: caseNo,
      variables: { paymentRef: `PAY-${caseNo}`, amountPaid: deedTax },
    },
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return { caseNo, deedTax };
}

export async function submit(
  h: Harness,
  data: Record<string, unknown>,
  applicant = 'zhang.wei',
): Promise<string> {
  const res = await h.request('POST', '/applications', {
    token: await tokens.applicant(applicant),
    json: { processKey: 'property-registration', data },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

export interface ApplicationView {
  id: string;
  status: string;
  version: number;
  openTasks: { id: string; elementId: string; candidateGroups: string[]; ruleReasons?: string[] }[];
  incidents: unknown[];
  variables?: Record<string, unknown>;
}

export async function getApplication(h: Harness, id: string, token?: string): Promise<ApplicationView> {
  const res = await h.request('GET', `/applications/${id}`, { token: token ?? (await tokens.auditor()) });
  expect(res.status).toBe(200);
  return (await res.json()) as ApplicationView;
}

export function waitFor(
  h: Harness,
  id: string,
  predicate: (app: ApplicationView) => boolean,
  what: string,
  timeoutMs?: number,
) {
  return until(
    `${id}: ${what}`,
    async () => {
      const app = await getApplication(h, id);
      return predicate(app) ? app : undefined;
    },
    timeoutMs,
  );
}

export async function trail(h: Harness, id: string) {
  const res = await h.request('GET', `/applications/${id}/trail`, { token: await tokens.auditor() });
  expect(res.status).toBe(200);
  return (
    (await res.json()) as {
      records: {
        elementId: string;
        elementInstanceId: string;
        decision: string;
        actor: string;
        seq: number;
        txId: string;
        hash: string;
        prevHash: string;
      }[];
    }
  ).records;
}

export async function verify(h: Harness, id: string) {
  const res = await h.request('GET', `/applications/${id}/verify`, { token: await tokens.auditor() });
  expect(res.status).toBe(200);
  return (await res.json()) as { valid: boolean; records: number; problems: { message: string }[] };
}

/** A trail is sound when its records are numbered 1..n, chained, and no step appears twice. */
export function expectSoundTrail(records: Awaited<ReturnType<typeof trail>>) {
  expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
  expect(records.map((r) => r.prevHash)).toEqual(records.map((_, i) => (i === 0 ? '' : records[i - 1].hash)));
  expect(new Set(records.map((r) => r.elementInstanceId)).size).toBe(records.length);
}
