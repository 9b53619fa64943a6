// Steps the end-to-end tests of the shipped models share: deploy, submit a property transfer, pay.
import { REQUIRED_DOCUMENTS } from '../../activities/handlers/land-registry.ts';
import { seedDevFacts } from '../../scripts/dev-facts.ts';
import { type Harness, shippedModel, startHarness } from './harness.ts';
import { deploy, publish, start, waitUntil } from './scenarios.ts';

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

export const transfer = (
  parcel: string,
  seller: string,
  buyer = 'Chen Jie',
  price = 1_250_000,
  documents: unknown[] = REQUIRED_DOCUMENTS,
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
  const app = await waitUntil(
    h,
    id,
    'the deed tax assessed',
    (a) => typeof a.variables?.deedTax === 'number',
    timeoutMs,
  );
  const { caseNo, deedTax } = app.variables as { caseNo: string; deedTax: number };
  await publish(h, 'payment-confirmed', caseNo, { paymentRef: `PAY-${caseNo}`, amountPaid: deedTax });
  return { caseNo, deedTax };
}

/** Submits a property-registration application. */
export const submit = (h: Harness, data: Record<string, unknown>, applicant?: string) =>
  start(h, 'property-registration', data, applicant);
