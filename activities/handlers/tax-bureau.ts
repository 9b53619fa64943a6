// The tax bureau's handlers (税务局): deed tax (契税) on a property transfer.
import { badInput, type ServiceTaskHandler, sameJson } from './job.ts';

/** Deed tax rate when the model gives no `rate` header: 3%, the upper bound of the statutory range. */
export const DEFAULT_DEED_TAX_RATE = 0.03;

export interface TaxAssessment {
  applicationId: string;
  caseNo: string | null;
  parcel: string;
  taxableValue: number;
  rate: number;
  deedTax: number;
  currency: 'CNY';
}

/**
 * Assesses deed tax on the price (`rate` header, default 3%), rounded to the fen, and records the
 * assessment in the `tax-assessment` registry, keyed by application id. A retry finds the same
 * assessment and writes nothing.
 */
export const assessDeedTax: ServiceTaskHandler = async (job, ledger, identity) => {
  const { price, parcel } = job.variables as { price?: unknown; parcel?: unknown };
  if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0)
    throw badInput('price must be a positive number');
  if (typeof parcel !== 'string' || parcel === '') throw badInput('parcel is required');
  const rate = Number(job.headers?.rate ?? DEFAULT_DEED_TAX_RATE);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1)
    throw badInput(`task header rate="${job.headers?.rate}" is not a rate between 0 and 1`);
  const deedTax = Math.round(price * rate * 100) / 100;
  const assessment: TaxAssessment = {
    applicationId: job.applicationId,
    caseNo: typeof job.variables.caseNo === 'string' ? job.variables.caseNo : null,
    parcel,
    taxableValue: price,
    rate,
    deedTax,
    currency: 'CNY',
  };
  const existing = await ledger.getFact('tax-assessment', job.applicationId);
  if (!sameJson(existing, assessment)) {
    await ledger.putFact('tax-assessment', job.applicationId, assessment, identity);
  }
  return { deedTax, deedTaxRate: rate };
};

export const taxBureauHandlers: Record<string, ServiceTaskHandler> = {
  'tax-bureau.assess-deed-tax': assessDeedTax,
};
