// What the contract writes so that Fabric's endorsement validation brings in the right peers: a
// fact's key names its owner's peer (state-based endorsement), every fact write seals the value in
// the owner's collection (whose endorsement policy is the owner's peer), and a rule decision
// writes a rule read into the fact owner's collection. Checked on the embedded ledger, which
// stores these policies (it has no endorsers to enforce them with; test/attacks covers Fabric).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import { peerOfPolicy } from '../../chaincode/src/endorsement.ts';
import { peersPolicy } from '../../chaincode/src/key-policy.ts';
import { collectionsConfig, REGISTRY_OWNERS } from '../../chaincode/src/registries.ts';
import type { Block } from '../../ledger/embedded/block-store.ts';
import { signTx } from '../../ledger/embedded/genesis.ts';
import type { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { LedgerStore } from '../../ledger/embedded/ledger-store.ts';
import { EmbeddedStub } from '../../ledger/embedded/stub.ts';
import { ContractError } from '../../ledger/errors.ts';
import { loadPrivateKey, organisationKeyFile } from '../../ledger/keys.ts';
import type { EvaluateRuleInput, LedgerIdentity } from '../../ledger/types.ts';
import { ENGINE, LAND_REGISTRY, openTemp, registerProcess } from '../ledger/helpers.ts';
import { common, msp } from '../support/fabric-protos.ts';

const TAX_BUREAU: LedgerIdentity = { mspId: 'TaxBureauMSP', id: 'tax-clerk' };
const factKey = (registry: string, key: string) => `\u0000fact\u0000${registry}\u0000${key}\u0000`;
const sealKey = (registry: string, key: string) => `\u0000fact-seal\u0000${registry}\u0000${key}\u0000`;
const ruleReadKey = (app: string, instance: string) => `\u0000rule-read\u0000${app}\u0000${instance}\u0000`;

const SPANNING_RULE = {
  id: 'title-and-tax',
  facts: [
    { name: 'title', registry: 'land-title', key: 'parcel' },
    { name: 'tax', registry: 'tax-clearance', key: 'seller' },
  ],
  approveWhen: 'title.status = "registered" and tax.cleared',
};

const TITLE_RULE = {
  id: 'title-clear',
  facts: [
    { name: 'title', registry: 'land-title', key: 'parcel' },
    { name: 'mortgage', registry: 'encumbrance', key: 'parcel' },
  ],
  approveWhen: 'title.status = "registered" and (mortgage = null or mortgage.active = false)',
};

const open: EmbeddedLedger[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});
async function ledger() {
  const opened = await openTemp();
  open.push(opened.ledger);
  return opened;
}
const blocks = (dir: string) =>
  readFileSync(join(dir, 'blocks.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Block);
const lastTx = (dir: string) => blocks(dir).at(-1)!.txs[0];
/** The values a collection's private store holds under `key`, oldest first. */
function privateValues(dir: string, collection: string, key: string): unknown[] {
  return readFileSync(join(dir, 'private', `${collection}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { key: string; value: string })
    .filter((entry) => entry.key === key)
    .map((entry) => JSON.parse(entry.value));
}
/**
 * The organisations a state-based endorsement policy (base64) requires a peer of, decoded with
 * Fabric's own protobuf definitions; throws unless it is "n of n signed-by", each a PEER role.
 */
function policyOrgs(base64: string | undefined): string[] {
  if (base64 === undefined) return [];
  const envelope = common.SignaturePolicyEnvelope.deserializeBinary(Buffer.from(base64, 'base64'));
  const nOutOf = envelope.getRule()!.getNOutOf()!;
  const orgs = envelope.getIdentitiesList().map((identity) => {
    expect(identity.getPrincipalClassification()).toBe(msp.MSPPrincipal.Classification.ROLE);
    const role = msp.MSPRole.deserializeBinary(identity.getPrincipal_asU8());
    expect(role.getRole()).toBe(msp.MSPRole.MSPRoleType.PEER);
    return role.getMspIdentifier();
  });
  expect(nOutOf.getN()).toBe(orgs.length);
  expect(nOutOf.getRulesList().map((r) => r.getSignedBy())).toEqual(orgs.map((_, i) => i));
  return orgs;
}

describe('endorsement policies the contract writes', () => {
  it('encodes key policies as Fabric reads them: one peer of each organisation named', () => {
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
    expect(policyOrgs(b64(peerOfPolicy('LandRegistryMSP')))).toEqual(['LandRegistryMSP']);
    expect(policyOrgs(b64(peersPolicy(['GovflowMSP', 'TaxBureauMSP'])))).toEqual([
      'GovflowMSP',
      'TaxBureauMSP',
    ]);
    const long = 'M'.repeat(300); // a name longer than one length byte
    expect(policyOrgs(b64(peersPolicy([long])))).toEqual([long]);
  });

  it("PutFact puts the owner's peer policy on the fact's key once, and seals every version in the owner's collection", async () => {
    const { dir, ledger: l } = await ledger();
    await l.putFact('land-title', 'P-1', { status: 'registered' }, LAND_REGISTRY);
    const first = lastTx(dir);
    expect(first.validationParameters).toEqual([
      {
        key: factKey('land-title', 'P-1'),
        policy: Buffer.from(peerOfPolicy('LandRegistryMSP')).toString('base64'),
      },
    ]);
    expect(policyOrgs(first.validationParameters?.[0].policy)).toEqual(['LandRegistryMSP']);
    // The seal goes to the owner's collection even without details: its policy covers the first write.
    expect(first.privateWrites).toEqual([
      {
        collection: 'landRegistryDetails',
        keyHash: sha256Hex(sealKey('land-title', 'P-1')),
        valueHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);

    await l.putFact('land-title', 'P-1', { status: 'seized' }, LAND_REGISTRY);
    const update = lastTx(dir);
    expect(update.validationParameters).toBeUndefined(); // already the owner's: nothing to change
    expect(update.privateWrites?.map((w) => w.keyHash)).toEqual([sha256Hex(sealKey('land-title', 'P-1'))]);
    expect(privateValues(dir, 'landRegistryDetails', sealKey('land-title', 'P-1'))).toEqual([
      { registry: 'land-title', key: 'P-1', valueHash: sha256Hex(canonicalJson({ status: 'registered' })) },
      { registry: 'land-title', key: 'P-1', valueHash: sha256Hex(canonicalJson({ status: 'seized' })) },
    ]);

    // The policy is part of the committed state, rebuilt from the blocks by another process.
    const store = await LedgerStore.open(dir);
    try {
      store.catchUp();
      expect(policyOrgs(store.state.validationParameter(factKey('land-title', 'P-1')))).toEqual([
        'LandRegistryMSP',
      ]);
    } finally {
      await store.close();
    }
  });

  it("ClaimFact's first write carries the owner's policy and seal; a duplicate claim writes nothing", async () => {
    const { dir, ledger: l } = await ledger();
    const claim = await l.claimFact('tax-clearance', 'T-1', { cleared: true }, TAX_BUREAU);
    expect(claim.duplicate).toBe(false);
    const tx = lastTx(dir);
    expect(policyOrgs(tx.validationParameters?.[0].policy)).toEqual(['TaxBureauMSP']);
    expect(tx.privateWrites).toEqual([
      expect.objectContaining({
        collection: 'taxBureauDetails',
        keyHash: sha256Hex(sealKey('tax-clearance', 'T-1')),
      }),
    ]);
    const before = blocks(dir).length;
    expect((await l.claimFact('tax-clearance', 'T-1', { cleared: true }, TAX_BUREAU)).duplicate).toBe(true);
    expect(blocks(dir).length).toBe(before);
  });

  it("EvaluateRule writes the rule read into the fact owner's collection: facts read, as stored, and the decision", async () => {
    const { dir, ledger: l } = await ledger();
    const ids = await registerProcess(l, 'property-registration', { rules: { review: TITLE_RULE } });
    await l.putFact('land-title', 'P-2', { status: 'registered' }, LAND_REGISTRY);
    const input: EvaluateRuleInput = {
      applicationId: 'app-e-1',
      elementId: 'review',
      elementInstanceId: 'review#1',
      ...ids,
      variables: { parcel: 'P-2' },
    };
    const result = await l.evaluateRule(input, ENGINE);
    expect(result.evaluation.decision).toBe('approve');
    const tx = lastTx(dir);
    expect(tx.privateWrites).toEqual([
      expect.objectContaining({
        collection: 'landRegistryDetails',
        keyHash: sha256Hex(ruleReadKey('app-e-1', 'review#1')),
      }),
    ]);
    // The missing encumbrance was read too: its owner's peer confirms the absence.
    const stored = { title: { status: 'registered' }, mortgage: null };
    expect(privateValues(dir, 'landRegistryDetails', ruleReadKey('app-e-1', 'review#1'))).toEqual([
      {
        applicationId: 'app-e-1',
        elementInstanceId: 'review#1',
        ruleId: 'title-clear',
        factsHash: sha256Hex(canonicalJson(stored)),
        decision: 'approve',
      },
    ]);
    // A retried call records nothing new.
    const before = blocks(dir).length;
    expect((await l.evaluateRule(input, ENGINE)).duplicate).toBe(true);
    expect(blocks(dir).length).toBe(before);
  });

  it("refuses a rule over two organisations' registries at registration, naming the element and organisations", async () => {
    const { dir, ledger: l } = await ledger();
    const before = blocks(dir).length;
    const err = await registerProcess(l, 'mixed', { rules: { review: SPANNING_RULE } }).catch((e) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe('RULE_SPANS_ORGANISATIONS');
    expect((err as ContractError).message).toMatch(
      /element review: approval rule "title-and-tax" reads the registries of LandRegistryMSP \(land-title\) and TaxBureauMSP \(tax-clearance\)/,
    );
    expect(blocks(dir).length).toBe(before);
  });

  it('refuses to evaluate such a rule registered before the check, recording nothing', async () => {
    const { dir, ledger: l } = await ledger();
    // A definition record as an earlier contract registered it, committed past today's check.
    const store = await LedgerStore.open(dir);
    try {
      store.catchUp();
      const proposal = { fn: 'RegisterDefinition', args: [], creator: ENGINE, nonce: randomBytes(24) };
      const stub = new EmbeddedStub(store.state, { ...proposal, timestampMillis: Date.now() });
      const record = {
        key: 'mixed',
        version: 1,
        hash: sha256Hex('xml of mixed'),
        deployer: 'dana',
        kind: 'process',
        modelHash: sha256Hex('model of mixed'),
        rules: { review: SPANNING_RULE },
        decisionCalls: {},
        registeredBy: 'GovflowMSP',
        txId: stub.txId,
        timestamp: new Date().toISOString(),
      };
      await stub.putState('\u0000definition\u0000mixed\u000000000001\u0000', canonicalJson(record));
      await store.commit(signTx(stub.toDraft('args'), loadPrivateKey(organisationKeyFile('GovflowMSP'))));
    } finally {
      await store.close();
    }
    const before = blocks(dir).length;
    const input: EvaluateRuleInput = {
      applicationId: 'app-e-2',
      elementId: 'review',
      elementInstanceId: 'review#1',
      definitionKey: 'mixed',
      definitionVersion: 1,
      variables: { parcel: 'P-3', seller: 'S-1' },
    };
    const err = await l.evaluateRule(input, ENGINE).catch((e) => e);
    expect((err as ContractError).code).toBe('RULE_SPANS_ORGANISATIONS');
    expect((err as ContractError).message).toMatch(
      /EvaluateRule: element review: approval rule "title-and-tax"/,
    );
    expect(blocks(dir).length).toBe(before);
    expect(await l.trail('app-e-2')).toEqual([]);
  });

  it("gives each department's collection an endorsement policy naming its owner's peer", () => {
    const owners = new Set(Object.values(REGISTRY_OWNERS));
    const config = collectionsConfig();
    expect(new Set(config.map((c) => c.endorsementPolicy.signaturePolicy))).toEqual(
      new Set([...owners].map((o) => `OR('${o}.peer')`)),
    );
    expect(config.find((c) => c.name === 'landRegistryDetails')?.endorsementPolicy).toEqual({
      signaturePolicy: "OR('LandRegistryMSP.peer')",
    });
  });
});
