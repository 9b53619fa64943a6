// Market regulation's handlers (市场监督管理局): the company-name registry and the business licence.
import { badInput, bpmnError, derivedReference, identities, type ServiceTaskHandler } from './job.ts';

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

/** Looks the proposed name up in the company-name registry. Writes nothing. */
export const checkCompanyName: ServiceTaskHandler = async (job, ledger) => {
  const key = companyNameKey(companyNameOf(job.variables));
  const record = (await ledger.getFact('company-name', key)) as CompanyNameRecord | null;
  return { companyNameKey: key, nameAvailable: record?.status !== 'taken' };
};

export const licenceNoOf = (applicationId: string) =>
  derivedReference('BL', 'business-licence', applicationId);

/**
 * Issues the business licence: registers the name as taken by this application in the company-name
 * registry and returns the licence number (derived from the application id). A retry finds its own
 * registration; a name another application registered meanwhile is the BPMN error NAME_TAKEN.
 */
export const issueLicence: ServiceTaskHandler = async (job, ledger) => {
  const name = companyNameOf(job.variables);
  const key = companyNameKey(name);
  const licenceNo = licenceNoOf(job.applicationId);
  const existing = (await ledger.getFact('company-name', key)) as CompanyNameRecord | null;
  if (existing?.applicationId === job.applicationId) return { licenceNo: existing.licenceNo };
  if (existing?.status === 'taken') {
    throw bpmnError('NAME_TAKEN', `the name "${name}" was registered by another company meanwhile`, {
      nameAvailable: false,
    });
  }
  const record: CompanyNameRecord = { status: 'taken', name, licenceNo, applicationId: job.applicationId };
  await ledger.putFact('company-name', key, record, identities.marketRegulation);
  return { licenceNo };
};

export const marketRegulationHandlers: Record<string, ServiceTaskHandler> = {
  'market-regulation.check-company-name': checkCompanyName,
  'market-regulation.issue-licence': issueLicence,
};
