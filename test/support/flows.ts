// Steps the end-to-end tests of the shipped models share: deploy, submit a property transfer, pay.
import { REQUIRED_DOCUMENTS } from '../../activities/handlers/land-registry.ts';
import { DEPARTMENT_ORGANISATIONS } from '../../cli/department.ts';
import { DEV_PEOPLE, seedDevFacts } from '../../scripts/dev-facts.ts';
import { type Harness, shippedModel, startHarness, tokens } from './harness.ts';
import { deploy, publish, start, waitUntil } from './scenarios.ts';

/** Deploys a model shipped in definitions/ through the API. */
export const deployShipped = (h: Harness, file: string) => deploy(h, shippedModel(file));

export const deployPropertyRegistration = (h: Harness) => deployShipped(h, 'property-registration.bpmn');

/** The dev facts, each department writing its own (with its own ledger identity). */
export async function seedDevFactsAsDepartments(h: Harness): Promise<number> {
  let written = 0;
  for (const mspId of DEPARTMENT_ORGANISATIONS) written += await seedDevFacts(h.ledgerOf(mspId), mspId);
  return written;
}

/** A harness with the dev facts on its ledger and property-registration deployed. */
export async function propertyRegistrationHarness(
  opts: Parameters<typeof startHarness>[0] = {},
): Promise<Harness> {
  const h = await startHarness(opts);
  await seedDevFactsAsDepartments(h);
  await deployPropertyRegistration(h);
  return h;
}

/** A person of the dev data by name; someone else gets a made-up ID number. */
export function devPerson(name: string): { name: string; idNumber: string } {
  const found = Object.values(DEV_PEOPLE).find((person) => person.name === name);
  return found ?? { name, idNumber: `9${[...name].map((c) => c.charCodeAt(0) % 10).join('')}`.slice(0, 18) };
}

/** The account name of a person's applicant token: `Zhang Wei` -> `zhang.wei`. */
export const subOf = (name: string) => name.toLowerCase().replaceAll(' ', '.');

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
  buyerIdNumber: devPerson(buyer).idNumber,
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
  await payDeedTax(h, caseNo, deedTax);
  return { caseNo, deedTax };
}

/** The tax bureau's payment system confirms a payment (the only publisher the model allows). */
export async function payDeedTax(h: Harness, caseNo: string, amountPaid: number) {
  const token = await tokens.department('TaxBureauMSP', 'payments');
  await publish(
    h,
    'payment-confirmed',
    caseNo,
    { paymentRef: `PAY-${caseNo}`, amountPaid },
    undefined,
    token,
  );
}

/**
 * Submits a property-registration application, as the seller named in the data (its token carries
 * the seller's ID number, so the seller is the applicant) unless `applicant` names someone else.
 */
export const submit = (h: Harness, data: Record<string, unknown>, applicant?: string) => {
  const person = devPerson(applicant ?? String(data.seller));
  return start(h, 'property-registration', data, subOf(person.name), person.idNumber);
};
