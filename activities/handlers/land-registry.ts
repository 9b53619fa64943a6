// The land registry's handlers (不动产登记中心): document check, title transfer, certificate issue.
// Facts are written with the identity of the land registry's worker that runs them, the only one
// that may write the land-title and property-certificate registries. Owners' names are details: they go to the
// land registry's private data collection, the channel sees a salted hash.
import type { Ledger, LedgerIdentity } from '../../ledger/types.ts';
import { badInput, derivedReference, type ServiceTaskHandler } from './job.ts';
import { personKey } from './public-security.ts';

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

/** A title as the channel sees it. */
interface TitleRecord {
  status: string;
  area?: number;
  transferredBy?: string;
  detailsHash?: string;
}

/**
 * A title's details, in the private data collection: the owner's name and person key (the salted
 * hash of their ID number, compared by the approval rule with the applicant's).
 */
type TitleDetails = {
  owner: string;
  ownerKey?: string;
  previousOwner?: string;
  previousOwnerKey?: string;
};

/** The public part of a fact as it may be written again: the contract derives `detailsHash`. */
function publicPart<T extends { detailsHash?: string }>(fact: T): Omit<T, 'detailsHash'> {
  const { detailsHash: _, ...rest } = fact;
  return rest;
}

/** A title and its owners. Titles put before owners became details still name them in public. */
async function readTitle(ledger: Ledger, parcel: string, identity: LedgerIdentity) {
  const stored = (await ledger.getFact('land-title', parcel)) as (TitleRecord & Partial<TitleDetails>) | null;
  if (!stored) return { title: null, owner: undefined, details: null };
  const { owner, previousOwner, ...title } = stored;
  const details = title.detailsHash
    ? ((await ledger.factDetails('land-title', parcel, identity)) as TitleDetails | null)
    : owner === undefined
      ? null
      : { owner, previousOwner };
  return { title, owner: details?.owner, details };
}

function transferParties(job: Parameters<ServiceTaskHandler>[0]) {
  const { parcel, buyer } = job.variables as { parcel?: unknown; buyer?: unknown };
  if (typeof parcel !== 'string' || typeof buyer !== 'string' || !parcel) {
    throw badInput('parcel and buyer are required');
  }
  return { parcel, buyer };
}

/** The submitter's person key, set by the API from its token (`applicant.personKey`). */
function applicantKey(job: Parameters<ServiceTaskHandler>[0]): string | undefined {
  const applicant = job.variables.applicant as { personKey?: unknown } | undefined;
  return typeof applicant?.personKey === 'string' ? applicant.personKey : undefined;
}

/**
 * Records the change of owner of a parcel in the land-title registry. The seller is the applicant:
 * a title with an owner's person key moves only when the applicant's is the same (the approval
 * already checked it; this is the registry's own check), to the buyer's person key.
 */
export const transferTitle: ServiceTaskHandler = async (job, ledger, identity) => {
  const { parcel, buyer } = transferParties(job);
  const { title, owner, details } = await readTitle(ledger, parcel, identity);
  if (owner === buyer && title?.transferredBy === job.applicationId) {
    return { titleOwner: buyer }; // already done by an earlier attempt
  }
  if (!title || !details) throw badInput(`parcel ${parcel} has no registered title`);
  if (details.ownerKey !== undefined && details.ownerKey !== applicantKey(job)) {
    throw badInput(`the applicant is not the registered owner of parcel ${parcel}`);
  }
  const { buyerIdNumber } = job.variables as { buyerIdNumber?: unknown };
  if (typeof buyerIdNumber !== 'string' || buyerIdNumber.trim() === '')
    throw badInput("buyerIdNumber (the buyer's ID number) is required");
  const next: TitleRecord = { ...publicPart(title), status: 'registered', transferredBy: job.applicationId };
  const nextDetails: TitleDetails = {
    owner: buyer,
    ownerKey: personKey(buyerIdNumber),
    previousOwner: details.owner,
    ...(details.ownerKey ? { previousOwnerKey: details.ownerKey } : {}),
  };
  const { txId } = await ledger.putFact('land-title', parcel, next, identity, nextDetails);
  return { titleOwner: buyer, titleTransferTx: txId };
};

/** A property certificate as the channel sees it; the owner's name is in its details. */
export interface PropertyCertificate {
  certificateNo: string;
  parcel: string;
  applicationId: string;
  caseNo: string | null;
  area: number | null;
  detailsHash?: string;
}

export type CertificateDetails = {
  owner: string;
};

/** The certificate number of an application: derived from its id, so a retry issues the same one. */
export const certificateNoOf = (applicationId: string) =>
  derivedReference('PC', 'property-certificate', applicationId);

/**
 * Issues the buyer's property certificate (不动产权证书) once the title is theirs: a
 * `property-certificate` fact keyed by the certificate number. A retry finds it and issues no other.
 */
export const issueCertificate: ServiceTaskHandler = async (job, ledger, identity) => {
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
  const { title, owner } = await readTitle(ledger, parcel, identity);
  if (owner !== buyer || title?.transferredBy !== job.applicationId) {
    throw badInput(`the title of parcel ${parcel} has not been transferred to the buyer by this application`);
  }
  const certificate: PropertyCertificate = {
    certificateNo,
    parcel,
    applicationId: job.applicationId,
    caseNo: typeof job.variables.caseNo === 'string' ? job.variables.caseNo : null,
    area: typeof title.area === 'number' ? title.area : null,
  };
  const details: CertificateDetails = { owner: buyer };
  await ledger.putFact('property-certificate', certificateNo, certificate, identity, details);
  return { certificateNo };
};

export const landRegistryHandlers: Record<string, ServiceTaskHandler> = {
  'land-registry.check-documents': checkDocuments,
  'land-registry.transfer-title': transferTitle,
  'land-registry.issue-certificate': issueCertificate,
};
