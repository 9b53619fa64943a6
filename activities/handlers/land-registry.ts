// The land registry's handlers (不动产登记中心): document check, title transfer, certificate issue.
// Facts are written with the land registry's own ledger identity, the only one that may write
// the land-title and property-certificate registries.
import { badInput, derivedReference, identities, type ServiceTaskHandler } from './job.ts';

/** The documents a transfer needs when the model gives no `required` header. */
export const REQUIRED_DOCUMENTS = ['deed', 'seller-id', 'buyer-id'];

/** A document as submitted: its type as a string, or `{ type, ref }` (the ref points at a stored scan). */
type Document = string | { type: string; ref?: string };

function documentList(value: unknown, variable: string): Document[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    const ok =
      (typeof item === 'string' && item !== '') ||
      (typeof item === 'object' && item !== null && typeof (item as { type?: unknown }).type === 'string');
    if (!ok) throw badInput(`${variable}: each document must be a type name or an object with a "type"`);
  }
  return items as Document[];
}

const typeOf = (doc: Document) => (typeof doc === 'string' ? doc : doc.type);

/**
 * Checks that the documents submitted (`documents`, plus `suppliedDocuments` from an answer to a
 * request) include every required type. Merges what was supplied into `documents`. Writes nothing.
 */
export const checkDocuments: ServiceTaskHandler = async (job) => {
  const required = (job.headers?.required ?? REQUIRED_DOCUMENTS.join(','))
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '');
  const documents: Document[] = [];
  const seen = new Set<string>();
  for (const doc of [
    ...documentList(job.variables.documents, 'documents'),
    ...documentList(job.variables.suppliedDocuments, 'suppliedDocuments'),
  ]) {
    const key = JSON.stringify(doc);
    if (seen.has(key)) continue;
    seen.add(key);
    documents.push(doc);
  }
  const present = new Set(documents.map(typeOf));
  const missingDocuments = required.filter((type) => !present.has(type));
  return {
    documents,
    suppliedDocuments: null,
    documentsComplete: missingDocuments.length === 0,
    missingDocuments,
  };
};

interface TitleRecord {
  owner: string;
  status: string;
  transferredBy?: string;
  previousOwner?: string;
}

function transferParties(job: Parameters<ServiceTaskHandler>[0]) {
  const { parcel, seller, buyer } = job.variables as { parcel?: unknown; seller?: unknown; buyer?: unknown };
  if (typeof parcel !== 'string' || typeof seller !== 'string' || typeof buyer !== 'string' || !parcel) {
    throw badInput('parcel, seller and buyer are required');
  }
  return { parcel, seller, buyer };
}

/** Records the change of owner of a parcel in the land-title registry. */
export const transferTitle: ServiceTaskHandler = async (job, ledger) => {
  const { parcel, seller, buyer } = transferParties(job);
  const title = (await ledger.getFact('land-title', parcel)) as TitleRecord | null;
  if (title?.owner === buyer && title.transferredBy === job.applicationId) {
    return { titleOwner: buyer }; // already done by an earlier attempt
  }
  if (!title || title.owner !== seller) {
    throw badInput(`parcel ${parcel} is not owned by the seller`);
  }
  const next: TitleRecord = {
    ...title,
    owner: buyer,
    status: 'registered',
    previousOwner: seller,
    transferredBy: job.applicationId,
  };
  const { txId } = await ledger.putFact('land-title', parcel, next, identities.landRegistry);
  return { titleOwner: buyer, titleTransferTx: txId };
};

export interface PropertyCertificate {
  certificateNo: string;
  parcel: string;
  owner: string;
  applicationId: string;
  caseNo: string | null;
  area: number | null;
}

/** The certificate number of an application: derived from its id, so a retry issues the same one. */
export const certificateNoOf = (applicationId: string) =>
  derivedReference('PC', 'property-certificate', applicationId);

/**
 * Issues the buyer's property certificate (不动产权证书) once the title is theirs: a
 * `property-certificate` fact keyed by the certificate number. A retry finds it and issues no other.
 */
export const issueCertificate: ServiceTaskHandler = async (job, ledger) => {
  const { parcel, buyer } = transferParties(job);
  const certificateNo = certificateNoOf(job.applicationId);
  const existing = (await ledger.getFact(
    'property-certificate',
    certificateNo,
  )) as PropertyCertificate | null;
  if (existing) {
    if (existing.applicationId !== job.applicationId)
      throw badInput(`certificate ${certificateNo} belongs to application ${existing.applicationId}`);
    return { certificateNo };
  }
  const title = (await ledger.getFact('land-title', parcel)) as (TitleRecord & { area?: number }) | null;
  if (title?.owner !== buyer || title.transferredBy !== job.applicationId) {
    throw badInput(`the title of parcel ${parcel} has not been transferred to the buyer by this application`);
  }
  const certificate: PropertyCertificate = {
    certificateNo,
    parcel,
    owner: buyer,
    applicationId: job.applicationId,
    caseNo: typeof job.variables.caseNo === 'string' ? job.variables.caseNo : null,
    area: typeof title.area === 'number' ? title.area : null,
  };
  await ledger.putFact('property-certificate', certificateNo, certificate, identities.landRegistry);
  return { certificateNo };
};

export const landRegistryHandlers: Record<string, ServiceTaskHandler> = {
  'land-registry.check-documents': checkDocuments,
  'land-registry.transfer-title': transferTitle,
  'land-registry.issue-certificate': issueCertificate,
};
