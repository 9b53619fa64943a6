// Department registries on the ledger and the organisation (Fabric MSP) that alone may write each.
// Fixed in the contract: changing who owns a registry is a chaincode upgrade, agreed by the channel.
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
