// Department registries on the ledger and the organisation (Fabric MSP) that alone may write each.
// Fixed in the contract: changing who owns a registry is a chaincode upgrade, agreed by the channel.
import { ENGINE_MSP } from './caller.ts';

export const REGISTRY_OWNERS: Readonly<Record<string, string>> = Object.freeze({
  'land-title': 'LandRegistryMSP',
  encumbrance: 'LandRegistryMSP',
  'tax-clearance': 'TaxBureauMSP',
  'social-insurance': 'SocialInsuranceMSP',
  'company-name': 'MarketRegulationMSP',
  'credit-record': 'CreditMSP',
  'tax-assessment': 'TaxBureauMSP',
  'property-certificate': 'LandRegistryMSP',
});

export function registryOwner(registry: string): string | undefined {
  return Object.hasOwn(REGISTRY_OWNERS, registry) ? REGISTRY_OWNERS[registry] : undefined;
}

/**
 * A private data collection: the details of facts (names, ID numbers, documents) are kept there,
 * off the channel's ledger, on the peers of its member organisations only; the channel sees a
 * salted hash. GovflowMSP is a member of each because approval rules over the details run in the
 * transactions the engine submits, and peers serve private data only to members' clients.
 */
export interface PrivateCollection {
  name: string;
  /** The department whose facts' details it keeps: its peer alone endorses writes to it. */
  owner: string;
  members: readonly string[];
}

/** Where a registry's details go, and the fields of its values that may only be details. */
export interface RegistryPrivacy {
  collection: string;
  personalFields: readonly string[];
}

const PERSON_FIELDS = ['name', 'idNumber'] as const;

const departmentCollection = (name: string, owner: string): PrivateCollection => ({
  name,
  owner,
  members: [owner, ENGINE_MSP],
});

export const PRIVATE_COLLECTIONS: readonly PrivateCollection[] = Object.freeze([
  departmentCollection('landRegistryDetails', 'LandRegistryMSP'),
  departmentCollection('taxBureauDetails', 'TaxBureauMSP'),
  departmentCollection('socialInsuranceDetails', 'SocialInsuranceMSP'),
  departmentCollection('marketRegulationDetails', 'MarketRegulationMSP'),
  departmentCollection('creditDetails', 'CreditMSP'),
]);

export const REGISTRY_PRIVACY: Readonly<Record<string, RegistryPrivacy>> = Object.freeze({
  'land-title': { collection: 'landRegistryDetails', personalFields: ['owner', 'previousOwner', 'owners'] },
  encumbrance: { collection: 'landRegistryDetails', personalFields: ['holder', 'debtor'] },
  'property-certificate': {
    collection: 'landRegistryDetails',
    personalFields: ['owner', 'holder', 'holders', 'idNumber'],
  },
  'tax-clearance': { collection: 'taxBureauDetails', personalFields: PERSON_FIELDS },
  'tax-assessment': { collection: 'taxBureauDetails', personalFields: ['taxpayer', 'idNumber'] },
  'social-insurance': { collection: 'socialInsuranceDetails', personalFields: PERSON_FIELDS },
  'company-name': {
    collection: 'marketRegulationDetails',
    personalFields: ['legalRepresentative', 'shareholders', 'idNumber'],
  },
  'credit-record': { collection: 'creditDetails', personalFields: PERSON_FIELDS },
});

export function registryPrivacy(registry: string): RegistryPrivacy | undefined {
  return Object.hasOwn(REGISTRY_PRIVACY, registry) ? REGISTRY_PRIVACY[registry] : undefined;
}

export function privateCollection(name: string): PrivateCollection | undefined {
  return PRIVATE_COLLECTIONS.find((c) => c.name === name);
}

/** The collection a department owns: where its owner seals and the rule reads of its facts go. */
export function ownerCollection(owner: string): PrivateCollection {
  const collection = PRIVATE_COLLECTIONS.find((c) => c.owner === owner);
  if (!collection) throw new Error(`organisation ${owner} owns registries but no private data collection`);
  return collection;
}

/** One entry of a Fabric collections_config.json. */
export interface CollectionConfig {
  name: string;
  policy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy: { signaturePolicy: string };
}

/**
 * The collection configuration a Fabric network approves with the chaincode definition
 * (`peer lifecycle chaincode ... --collections-config`). Details live as long as the fact
 * (blockToLive 0); requiredPeerCount 0 lets the owner endorse alone. The endorsement policy
 * replaces the chaincode's for the collection's keys: every private write there (details, owner
 * seals, rule reads: see endorsement.ts) needs the owning department's peer.
 */
export function collectionsConfig(): CollectionConfig[] {
  return PRIVATE_COLLECTIONS.map((c) => ({
    name: c.name,
    policy: `OR(${c.members.map((m) => `'${m}.member'`).join(',')})`,
    requiredPeerCount: 0,
    maxPeerCount: 1,
    blockToLive: 0,
    memberOnlyRead: true,
    memberOnlyWrite: true,
    endorsementPolicy: { signaturePolicy: `OR('${c.owner}.peer')` },
  }));
}
