// The embedded ledger's key layout: a key pair per organisation, `<keyDir>/organisations/<MSP>.pem`
// (private, 0600) and `<MSP>.pub.pem`; a new ledger's genesis built from the public keys alone; a
// process that acts for one organisation reads that organisation's private key and no other.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOrganisations } from '../../ledger/embedded/genesis.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import {
  ensureOrganisationKeyPair,
  keyFingerprint,
  loadOrCreatePrivateKey,
  organisationKeyFile,
  organisationPublicKeyFile,
} from '../../ledger/keys.ts';
import { ENGINE, LAND_REGISTRY, step, tempLedgerDir } from './helpers.ts';

const TAX_BUREAU = { mspId: 'TaxBureauMSP', id: 'tax-bureau' };
const temp = (name: string) => mkdtempSync(join(tmpdir(), `govflow-${name}-`));

/** A deployment's layout: each organisation's private key in its own dir, public keys shared. */
function deployment() {
  const root = temp('org-keys');
  const publicKeys = join(root, 'public');
  const own = (mspId: string) => join(root, mspId);
  for (const mspId of defaultOrganisations()) ensureOrganisationKeyPair(mspId, own(mspId), publicKeys);
  const ledgerKeyFile = join(root, 'ledger-key.pem');
  loadOrCreatePrivateKey(ledgerKeyFile);
  const open = (dir: string, mspId: string, extra: { keyDir?: string } = {}) =>
    EmbeddedLedger.open(dir, {
      organisations: [mspId],
      keyDir: own(mspId),
      publicKeyDir: publicKeys,
      ledgerKeyFile,
      ...extra,
    });
  return { root, publicKeys, own, ledgerKeyFile, open };
}

describe('organisation keys', () => {
  it('a key pair per organisation: the private key 0600, the public key beside it', () => {
    const dir = temp('pairs');
    const pub = ensureOrganisationKeyPair('LandRegistryMSP', dir);
    const privateFile = organisationKeyFile('LandRegistryMSP', dir);
    expect(statSync(privateFile).mode & 0o777).toBe(0o600);
    expect(keyFingerprint(pub)).toBe(keyFingerprint(loadOrCreatePrivateKey(privateFile)));
    expect(existsSync(organisationPublicKeyFile('LandRegistryMSP', dir))).toBe(true);
    // Made again: the same pair, not a new one.
    expect(keyFingerprint(ensureOrganisationKeyPair('LandRegistryMSP', dir))).toBe(keyFingerprint(pub));
  });

  it('a new ledger is created from the public keys alone, which it names in its genesis', async () => {
    const { publicKeys, ledgerKeyFile } = deployment();
    const empty = temp('no-private-keys');
    // No private key at all in this process's key dir: the genesis needs none.
    const ledger = await EmbeddedLedger.open(tempLedgerDir(), {
      organisations: ['GovflowMSP'],
      keyDir: empty,
      publicKeyDir: publicKeys,
      ledgerKeyFile,
    });
    const { organisations } = await ledger.anchors.keys();
    expect(organisations.map((o) => o.mspId)).toEqual(defaultOrganisations());
    for (const org of organisations) {
      const pair = ensureOrganisationKeyPair(org.mspId, join(publicKeys, '..', org.mspId), publicKeys);
      expect(org.fingerprint).toBe(keyFingerprint(pair));
    }
    expect(readdirSync(empty)).toEqual([]); // nothing was made in it
    await ledger.close();
  });

  it('refuses to create a ledger without an organisation’s public key, or with a private key in its place', async () => {
    const { publicKeys, ledgerKeyFile } = deployment();
    const missing = organisationPublicKeyFile('CreditMSP', publicKeys);
    const partial = temp('partial-public');
    mkdirSync(join(partial, 'organisations'));
    for (const mspId of defaultOrganisations().filter((m) => m !== 'CreditMSP'))
      writeFileSync(
        organisationPublicKeyFile(mspId, partial),
        String(
          ensureOrganisationKeyPair(mspId, join(publicKeys, '..', mspId), publicKeys).export({
            type: 'spki',
            format: 'pem',
          }),
        ),
      );
    const dir = tempLedgerDir();
    const opening = EmbeddedLedger.open(dir, {
      organisations: ['GovflowMSP'],
      keyDir: temp('k'),
      publicKeyDir: partial,
      ledgerKeyFile,
    });
    await expect(opening).rejects.toThrow(
      `cannot create the ledger: CreditMSP's public key ${organisationPublicKeyFile('CreditMSP', partial)} does not exist`,
    );
    expect(existsSync(join(dir, 'blocks.jsonl')) && statSync(join(dir, 'blocks.jsonl')).size > 0).toBe(false);
    expect(existsSync(missing)).toBe(true);

    writeFileSync(
      organisationPublicKeyFile('CreditMSP', partial),
      String(loadOrCreatePrivateKey(join(temp('p'), 'x.pem')).export({ type: 'pkcs8', format: 'pem' })),
    );
    await expect(
      EmbeddedLedger.open(tempLedgerDir(), { keyDir: temp('k'), publicKeyDir: partial, ledgerKeyFile }),
    ).rejects.toThrow(/public key file .*CreditMSP\.pub\.pem holds a private key/);
  });

  it("a process acting for one organisation never reads another's key file, and signs as itself", async () => {
    const { own, open } = deployment();
    const dir = tempLedgerDir();
    const engine = await open(dir, 'GovflowMSP');
    await engine.recordStep(step('app-keys', 1), ENGINE);
    // In the land registry's key dir, a folder where the tax bureau's key would be: reading it
    // would fail with EISDIR, not with the refusal below.
    mkdirSync(organisationKeyFile('TaxBureauMSP', own('LandRegistryMSP')), { recursive: true });
    const land = await open(dir, 'LandRegistryMSP');
    const refusal = land.putFact('tax-clearance', 'someone', { cleared: true }, TAX_BUREAU);
    await expect(refusal).rejects.toMatchObject({ name: 'ContractError', code: 'FORBIDDEN' });
    await expect(refusal).rejects.toThrow(
      /this process may not submit as TaxBureauMSP: it signs for LandRegistryMSP only/,
    );
    await expect(land.recordStep(step('app-keys', 2), ENGINE)).rejects.toThrow(
      /this process may not submit as GovflowMSP/,
    );
    await land.putFact('land-title', 'P-9', { status: 'registered' }, LAND_REGISTRY);
    // The engine's process cannot write the land registry's facts either.
    await expect(engine.putFact('land-title', 'P-9', { status: 'seized' }, LAND_REGISTRY)).rejects.toThrow(
      /this process may not submit as LandRegistryMSP: it signs for GovflowMSP only/,
    );
    expect(await engine.getFact('land-title', 'P-9')).toEqual({ status: 'registered' });
    await land.close();
    await engine.close();
  });

  it('several processes, one organisation each, write the same ledger; each sees the others and it verifies', async () => {
    const { open } = deployment();
    const dir = tempLedgerDir();
    const engine = await open(dir, 'GovflowMSP');
    const land = await open(dir, 'LandRegistryMSP');
    const tax = await open(dir, 'TaxBureauMSP');
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => engine.recordStep(step('app-many', i + 1), ENGINE)),
      ...Array.from({ length: 10 }, (_, i) =>
        land.putFact('land-title', `P-${i}`, { status: 'registered' }, LAND_REGISTRY),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        tax.putFact('tax-clearance', `person-${i}`, { cleared: true, arrears: 0 }, TAX_BUREAU),
      ),
    ]);
    expect(await tax.getFact('land-title', 'P-9')).toEqual({ status: 'registered' });
    expect(await land.getFact('tax-clearance', 'person-9')).toMatchObject({ cleared: true });
    expect((await land.trail('app-many')).length).toBe(10);
    const report = await engine.verifyAll();
    expect(report, JSON.stringify(report.problems)).toMatchObject({ valid: true });
    for (const ledger of [tax, land, engine]) await ledger.close();
  });
});
