// Department facts with personal details, as Fabric private data: the blocks carry a salted hash
// and hashed private writes only, the details sit in the owner's collection for its members, rules
// still decide on them, and the private store is checked against the blocks.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../chaincode/src/canonical.ts';
import {
  collectionsConfig,
  PRIVATE_COLLECTIONS,
  REGISTRY_OWNERS,
  REGISTRY_PRIVACY,
} from '../../chaincode/src/registries.ts';
import type { Block } from '../../ledger/embedded/block-store.ts';
import { signTx } from '../../ledger/embedded/genesis.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { LedgerStore } from '../../ledger/embedded/ledger-store.ts';
import { EmbeddedStub, type PrivateDataAccess } from '../../ledger/embedded/stub.ts';
import { MvccConflictError } from '../../ledger/embedded/world-state.ts';
import { loadPrivateKey, organisationKeyFile } from '../../ledger/keys.ts';
import type { EvaluateRuleInput, LedgerIdentity } from '../../ledger/types.ts';
import { COLLECTIONS_CONFIG_FILE, collectionsConfigText } from '../../scripts/collections-config.ts';
import { ENGINE, LAND_REGISTRY, openTemp, registerProcess, tempLedgerDir } from './helpers.ts';

const TAX_BUREAU: LedgerIdentity = { mspId: 'TaxBureauMSP', id: 'tax-clerk' };
const COLLECTION = 'landRegistryDetails';
const ID_NUMBER = '320102198511234567';
const DETAILS = { owner: 'Sun Li', idNumber: ID_NUMBER, deed: 'Deed of sale: Sun Li acquires parcel P-7' };
const factKey = (registry: string, key: string) => `\u0000fact\u0000${registry}\u0000${key}\u0000`;
/** Where a fact write seals its value in the owner's collection, for the owner's endorsement. */
const sealKey = (registry: string, key: string) => `\u0000fact-seal\u0000${registry}\u0000${key}\u0000`;
const HEX64 = /^[0-9a-f]{64}$/;

const open: (EmbeddedLedger | LedgerStore)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});
async function ledgerWithTitle() {
  const { dir, ledger } = await openTemp();
  open.push(ledger);
  await registerProcess(ledger, 'property-registration', { rules: { review: TITLE_RULE } });
  await ledger.putFact('land-title', 'P-7', { status: 'registered', area: 50 }, LAND_REGISTRY, DETAILS);
  return { dir, ledger };
}
const blocksText = (dir: string) => readFileSync(join(dir, 'blocks.jsonl'), 'utf8');
const blocks = (dir: string) =>
  blocksText(dir)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Block);
const privateFile = (dir: string) => join(dir, 'private', `${COLLECTION}.jsonl`);

const TITLE_RULE = {
  id: 'title-clear',
  facts: [{ name: 'title', registry: 'land-title', key: 'parcel' }],
  approveWhen: 'title.owner = seller and title.status = "registered"',
  rejectWhen: 'title.owner != seller',
};

function titleRule(applicationId: string, seller: string): EvaluateRuleInput {
  return {
    applicationId,
    elementId: 'review',
    elementInstanceId: 'review#1',
    definitionKey: 'property-registration',
    definitionVersion: 1,
    variables: { parcel: 'P-7', seller },
  };
}

describe('private data of department facts', () => {
  it('keeps details off the blocks: the channel sees a salted hash and hashed private writes', async () => {
    const { dir, ledger } = await ledgerWithTitle();
    const text = blocksText(dir);
    for (const secret of ['Sun Li', ID_NUMBER, 'Deed of sale']) expect(text).not.toContain(secret);

    const value = (await ledger.getFact('land-title', 'P-7')) as Record<string, unknown>;
    expect(value).toEqual({ status: 'registered', area: 50, detailsHash: expect.stringMatching(HEX64) });
    const tx = blocks(dir).at(-1)!.txs[0];
    expect(tx.privateWrites).toEqual([
      {
        collection: COLLECTION,
        keyHash: sha256Hex(factKey('land-title', 'P-7')),
        valueHash: expect.stringMatching(HEX64),
      },
      {
        collection: COLLECTION,
        keyHash: sha256Hex(sealKey('land-title', 'P-7')),
        valueHash: expect.stringMatching(HEX64),
      },
    ]);
    expect(readFileSync(privateFile(dir), 'utf8')).toContain('Sun Li');

    // Salted: the same details again hash differently, so a guess cannot be confirmed.
    await ledger.putFact('land-title', 'P-7', { status: 'registered', area: 50 }, LAND_REGISTRY, DETAILS);
    const again = (await ledger.getFact('land-title', 'P-7')) as Record<string, unknown>;
    expect(again.detailsHash).not.toBe(value.detailsHash);
    expect(blocksText(dir)).not.toContain('Sun Li');
    expect(await ledger.verifyAll()).toEqual({ valid: true, records: 0, problems: [] });
  });

  it('gives the details to members of the collection only', async () => {
    const { ledger } = await ledgerWithTitle();
    await expect(ledger.factDetails('land-title', 'P-7', TAX_BUREAU)).rejects.toThrow(
      /organisation TaxBureauMSP is not a member of collection landRegistryDetails.*land-title/,
    );
    expect(await ledger.factDetails('land-title', 'P-7', LAND_REGISTRY)).toEqual(DETAILS);
    expect(await ledger.factDetails('land-title', 'P-8', LAND_REGISTRY)).toBeNull();

    // A later version without details takes the old details away with it.
    await ledger.putFact('land-title', 'P-7', { status: 'seized' }, LAND_REGISTRY);
    expect(await ledger.factDetails('land-title', 'P-7', LAND_REGISTRY)).toBeNull();
    expect(await ledger.getFact('land-title', 'P-7')).toEqual({ status: 'seized' });
  });

  it('refuses a personal field in the public value and writes nothing', async () => {
    const { dir, ledger } = await openTemp();
    open.push(ledger);
    await ledger.putFact('encumbrance', 'P-7', { active: false }, LAND_REGISTRY);
    const before = blocksText(dir);
    await expect(
      ledger.putFact('land-title', 'P-7', { owner: 'Sun Li', status: 'registered' }, LAND_REGISTRY),
    ).rejects.toThrow(/field "owner" is personal in registry land-title/);
    await expect(
      ledger.putFact(
        'credit-record',
        'k',
        { standing: 'good', idNumber: ID_NUMBER },
        { mspId: 'CreditMSP', id: 'c' },
      ),
    ).rejects.toThrow(/field "idNumber" is personal in registry credit-record/);
    await expect(
      ledger.putFact('land-title', 'P-7', { status: 'registered', detailsHash: 'x' }, LAND_REGISTRY),
    ).rejects.toThrow(/detailsHash/);
    expect(blocksText(dir)).toBe(before);
    expect(await ledger.getFact('land-title', 'P-7')).toBeNull();
  });

  it('an approval rule decides on the details, which stay off the blocks', async () => {
    const { dir, ledger } = await ledgerWithTitle();
    const approved = await ledger.evaluateRule(titleRule('app-pd-1', 'Sun Li'), ENGINE);
    expect(approved.evaluation.decision).toBe('approve');
    const rejected = await ledger.evaluateRule(titleRule('app-pd-2', 'Mallory'), ENGINE);
    expect(rejected.evaluation.decision).toBe('reject');
    expect(blocksText(dir)).not.toContain('Sun Li');
  });

  it('verify names a tampered private store; the peer no longer serves it and a rule reading it fails', async () => {
    const { dir, ledger } = await ledgerWithTitle();
    await ledger.close();
    open.length = 0;
    const reopened = await EmbeddedLedger.open(dir);
    open.push(reopened);
    expect(await reopened.factDetails('land-title', 'P-7', LAND_REGISTRY)).toEqual(DETAILS);
    await reopened.close();
    open.length = 0;

    writeFileSync(privateFile(dir), readFileSync(privateFile(dir), 'utf8').replace('Sun Li', 'Mallory'));
    const keyHash = sha256Hex(factKey('land-title', 'P-7'));
    const report = await EmbeddedLedger.verifyFiles(dir);
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          new RegExp(`collection ${COLLECTION}, key hash ${keyHash}, does not match the hash in its block`),
        ),
        blockNumber: 2, // after the genesis block and the definition's registration
      }),
    ]);

    const tampered = await EmbeddedLedger.open(dir);
    open.push(tampered);
    await expect(tampered.factDetails('land-title', 'P-7', LAND_REGISTRY)).rejects.toThrow(
      /does not match its hash/,
    );
    // A peer that cannot serve the details fails the transaction (an incident naming it, retried
    // until repaired) rather than deciding without them; nothing is recorded.
    await expect(tampered.evaluateRule(titleRule('app-pd-3', 'Mallory'), ENGINE)).rejects.toThrow(
      /does not match its hash/,
    );
    expect(await tampered.trail('app-pd-3')).toEqual([]);

    writeFileSync(privateFile(dir), '{"not":"an entry"\n');
    const missing = await EmbeddedLedger.verifyFiles(dir);
    expect(missing.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/private\/landRegistryDetails\.jsonl line 1: not a readable private data entry/),
      expect.stringMatching(new RegExp(`key hash ${keyHash}, is missing from the private store`)),
      expect.stringMatching(
        new RegExp(`key hash ${sha256Hex(sealKey('land-title', 'P-7'))}, is missing from the private store`),
      ),
    ]);
  });

  it('validates private reads at commit (MVCC), including reads of a hash only', async () => {
    const store = await LedgerStore.open(tempLedgerDir());
    open.push(store);
    const access: PrivateDataAccess = {
      collections: new Map(PRIVATE_COLLECTIONS.map((c) => [c.name, c.members])),
      lookup: (collection, key, expected) => store.privateData.lookup(collection, key, expected),
    };
    const simulate = (as: LedgerIdentity = LAND_REGISTRY, transient?: Record<string, string>) => {
      store.catchUp();
      const proposal = { fn: 'PutFact', args: [], creator: as, nonce: randomBytes(24), timestampMillis: 0 };
      return new EmbeddedStub(store.state, { ...proposal, transient }, access);
    };
    const commit = (stub: EmbeddedStub) =>
      store.commit(
        signTx(stub.toDraft('args'), loadPrivateKey(organisationKeyFile(stub.creator.mspId))),
        stub.privateWriteSet(),
      );
    const text = async (bytes: Promise<Uint8Array>) => Buffer.from(await bytes).toString('utf8');

    const first = simulate(LAND_REGISTRY, { details: '{"owner":"Sun Li"}' });
    expect(Buffer.from(first.getTransient().get('details')!).toString('utf8')).toBe('{"owner":"Sun Li"}');
    await first.putPrivateData(COLLECTION, 'k', 'v1');
    await commit(first);

    const reader = simulate();
    expect(await text(reader.getPrivateData(COLLECTION, 'k'))).toBe('v1');
    await reader.putPrivateData(COLLECTION, 'other', 'x');
    const hashReader = simulate();
    expect(Buffer.from(await hashReader.getPrivateDataHash(COLLECTION, 'k')).toString('hex')).toBe(
      sha256Hex('v1'),
    );
    await hashReader.putPrivateData(COLLECTION, 'other', 'y');

    const writer = simulate();
    await writer.putPrivateData(COLLECTION, 'k', 'v2');
    await commit(writer);

    for (const stale of [reader, hashReader]) {
      await expect(commit(stale)).rejects.toThrow(MvccConflictError);
    }
    const fresh = simulate();
    expect(await text(fresh.getPrivateData(COLLECTION, 'k'))).toBe('v2');
    expect((await fresh.getPrivateData(COLLECTION, 'other')).length).toBe(0); // the losers wrote nothing

    await expect(simulate().putPrivateData('noSuchCollection', 'k', 'v')).rejects.toThrow(
      /collection noSuchCollection is not defined/,
    );
    await expect(simulate(TAX_BUREAU).putPrivateData(COLLECTION, 'k', 'v')).rejects.toThrow(
      /does not have write access/,
    );
    await expect(simulate(TAX_BUREAU).getPrivateData(COLLECTION, 'k')).rejects.toThrow(
      /does not have read access/,
    );
  });

  it('the Fabric collection config matches the declared collections', () => {
    expect(readFileSync(COLLECTIONS_CONFIG_FILE, 'utf8')).toBe(collectionsConfigText());
    const config = collectionsConfig();
    expect(config.map((c) => c.name)).toEqual(PRIVATE_COLLECTIONS.map((c) => c.name));
    for (const c of config) {
      expect(c).toMatchObject({
        requiredPeerCount: 0,
        maxPeerCount: 1,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
      });
    }
    // Every registry keeps its details in a declared collection its owner belongs to.
    expect(Object.keys(REGISTRY_PRIVACY).sort()).toEqual(Object.keys(REGISTRY_OWNERS).sort());
    for (const [registry, { collection }] of Object.entries(REGISTRY_PRIVACY)) {
      const policy = config.find((c) => c.name === collection)?.policy;
      expect(policy, registry).toContain(`'${REGISTRY_OWNERS[registry]}.member'`);
    }
  });
});
