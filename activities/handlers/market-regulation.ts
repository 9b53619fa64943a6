// Market regulation's handlers (市场监督管理局): the company-name registry and the business licence.
import { FactTakenError } from '../../ledger/errors.ts';
import { badInput, bpmnError, derivedReference, type ServiceTaskHandler } from './job.ts';

/** What the `company-name` registry holds for a name that is registered. */
export interface CompanyNameRecord {
  status: 'taken';
  name: string;
  licenceNo: string;
  applicationId: string;
}

/**
 * The registry key of a company name: Unicode NFKC (full-width forms become ASCII), trimmed,
 * inner whitespace collapsed, lower case. "示例贸易有限公司" and "示例贸易有限公司 " are one name.
 */
export function companyNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function companyNameOf(variables: Record<string, unknown>): string {
  const name = variables.companyName;
  if (typeof name !== 'string' || companyNameKey(name) === '') throw badInput('companyName is required');
  return name;
}

/**
 * Looks the proposed name up in the company-name registry. Writes nothing. A name with any record
 * is unavailable: the licence claims the name, and a claim succeeds only where there is none.
 */
export const checkCompanyName: ServiceTaskHandler = async (job, ledger) => {
  const key = companyNameKey(companyNameOf(job.variables));
  const record = (await ledger.getFact('company-name', key)) as CompanyNameRecord | null;
  return { companyNameKey: key, nameAvailable: record === null };
};

export const licenceNoOf = (applicationId: string) =>
  derivedReference('BL', 'business-licence', applicationId);

/**
 * Issues the business licence: claims the name for this application in the company-name registry
 * (put-if-absent, so of two applications racing for one name exactly one gets it) and returns the
 * licence number (derived from the application id). A retry finds its own registration; a name
 * another application holds is the BPMN error NAME_TAKEN.
 */
export const issueLicence: ServiceTaskHandler = async (job, ledger, identity) => {
  const name = companyNameOf(job.variables);
  const key = companyNameKey(name);
  const licenceNo = licenceNoOf(job.applicationId);
  const record: CompanyNameRecord = { status: 'taken', name, licenceNo, applicationId: job.applicationId };
  try {
    await ledger.claimFact('company-name', key, record, identity);
    return { licenceNo };
  } catch (err) {
    if (!(err instanceof FactTakenError)) throw err;
  }
  const existing = (await ledger.getFact('company-name', key)) as CompanyNameRecord | null;
  // Ours under another spelling of the name (a retry with edited variables): keep what was issued.
  if (existing?.applicationId === job.applicationId) return { licenceNo: existing.licenceNo };
  // Any other record under the key (even one a department wrote without status "taken") makes a
  // claim fail: never overwritten here, so no name is ever issued twice.
  throw bpmnError('NAME_TAKEN', `the name "${name}" was registered by another company meanwhile`, {
    nameAvailable: false,
  });
};

export const marketRegulationHandlers: Record<string, ServiceTaskHandler> = {
  'market-regulation.check-company-name': checkCompanyName,
  'market-regulation.issue-licence': issueLicence,
};
