// A config transaction may only add organisations, never change one's key. Listing an MSP id a
// second time, with another key, must not get round that: the key map would take the later entry,
// and whoever holds the ledger key would then sign transactions and witness checkpoints as that
// department.
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../chaincode/src/canonical.ts';
import { dataHashOf, headerHashOf } from '../../ledger/embedded/block-store.ts';
import { configTx, type LedgerConfig, published } from '../../ledger/embedded/genesis.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { verifyLedgerFiles } from '../../ledger/embedded/verify.ts';
import {
  ledgerKeyFile,
  loadOrCreatePrivateKey,
  loadPrivateKey,
  organisationKeyFile,
} from '../../ledger/keys.ts';
import { tempLedgerDir } from '../ledger/helpers.ts';
import { useTempKeyDir } from '../ledger/key-dir.ts';

useTempKeyDir();
const open: EmbeddedLedger[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

describe('a config update naming an organisation twice', () => {
  it('is refused at open and by verify, even signed by the ledger key', async () => {
    const dir = tempLedgerDir();
    const ledger = await EmbeddedLedger.open(dir);
    open.push(ledger);
    const health = loadOrCreatePrivateKey(organisationKeyFile('HealthMSP'));
    await ledger.addOrganisation('HealthMSP', published(health).publicKey);
    await Promise.all(open.splice(0).map((l) => l.close()));

    // The operator rewrites block 1: the same addition, plus TaxBureauMSP again with a key of its own.
    const lines = readFileSync(join(dir, 'blocks.jsonl'), 'utf8').trim().split('\n');
    const block = JSON.parse(lines[1]);
    const config = JSON.parse(block.txs[0].writes[0].value) as LedgerConfig;
    const { privateKey: forged } = generateKeyPairSync('ed25519');
    config.organisations.push({ mspId: 'TaxBureauMSP', ...published(forged) });
    const ledgerKey = loadPrivateKey(ledgerKeyFile());
    block.txs[0] = configTx(config, ledgerKey, block.txs[0].timestamp);
    block.dataHash = dataHashOf(block.txs);
    block.hash = headerHashOf(block);
    block.signature = sign(null, Buffer.from(block.hash, 'hex'), ledgerKey).toString('base64');
    writeFileSync(join(dir, 'blocks.jsonl'), `${lines[0]}\n${canonicalJson(block)}\n`);
    rmSync(join(dir, 'checkpoints.jsonl'));
    rmSync(join(dir, 'witnesses.jsonl'), { force: true });

    await expect(
      EmbeddedLedger.open(dir).then((l) => {
        open.push(l);
        return l;
      }),
    ).rejects.toThrow(/block 1: .*TaxBureauMSP/);
    expect(JSON.stringify(verifyLedgerFiles(dir).problems)).toMatch(/TaxBureauMSP/);
  });
});
