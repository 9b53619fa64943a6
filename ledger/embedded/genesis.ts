// The genesis (config) block of the embedded ledger, like a Fabric channel's genesis block: it
// fixes the ledger's public key and every organisation's, so that a block or transaction is
// checked against keys the ledger was created with, never against a key file in the data
// directory. Block 0 holds exactly one transaction, the config tx:
//   { txId: SHA-256(canonicalJson(config)), fn: "govflow:config",
//     argsHash: SHA-256(canonicalJson([canonicalJson(config)])),
//     creator: { mspId: "ledger", id: <ledger key fingerprint> }, timestamp,
//     reads: [], ranges: [], writes: [{ key: "config", value: canonicalJson(config) }], events: [],
//     valid: true, signature: Ed25519 by the ledger key (same signing bytes as any tx) }
//   config = { format: "govflow-ledger-config/1", engine: "GovflowMSP", ledger: PublishedKey,
//              organisations: [{ mspId, publicKey, fingerprint }] sorted by mspId }
// The config write is not contract state: the world state keeps it apart from every key.
import { type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import { REGISTRY_OWNERS } from '../../chaincode/src/registries.ts';
import type { PublishedKey } from '../anchors/types.ts';
import { keyFingerprint, publicKeyBase64, publicKeyFromBase64 } from '../keys.ts';
import type { TxRecord } from './block-store.ts';

export const CONFIG_FN = 'govflow:config';
export const CONFIG_FORMAT = 'govflow-ledger-config/1';
export const LEDGER_CREATOR = 'ledger';
/** The engine's organisation: it submits steps, so it can never witness them. */
export const ENGINE_ORGANISATION = 'GovflowMSP';

/** The organisations a new ledger is created with: the engine and every registry owner. */
export function defaultOrganisations(): string[] {
  return [...new Set([ENGINE_ORGANISATION, ...Object.values(REGISTRY_OWNERS)])].sort();
}

export interface LedgerConfig {
  format: typeof CONFIG_FORMAT;
  engine: string;
  ledger: PublishedKey;
  organisations: (PublishedKey & { mspId: string })[];
}

export function published(key: KeyObject): PublishedKey {
  const publicKey = publicKeyBase64(key);
  return { publicKey, fingerprint: keyFingerprint(publicKey) };
}

/** What a transaction's creator signs: the tx without `signature` and `valid`. */
export function txSigningBytes(tx: Omit<TxRecord, 'signature' | 'valid'> & Partial<TxRecord>): Buffer {
  const { signature: _signature, valid: _valid, ...signed } = tx;
  return Buffer.from(canonicalJson(signed), 'utf8');
}

export function signTx<T extends Omit<TxRecord, 'signature' | 'valid'>>(
  tx: T,
  key: KeyObject,
): T & { signature: string } {
  return { ...tx, signature: sign(null, txSigningBytes(tx), key).toString('base64') };
}

/** Ed25519 over `bytes`, the signature in canonical base64 only (no byte of it may change). */
export function signatureOver(bytes: Uint8Array, signature: unknown, key: KeyObject): boolean {
  if (typeof signature !== 'string') return false;
  try {
    const raw = Buffer.from(signature, 'base64');
    if (raw.toString('base64') !== signature) return false;
    return verify(null, bytes, key, raw);
  } catch {
    return false;
  }
}

export function configTx(config: LedgerConfig, ledgerKey: KeyObject, timestamp: string): TxRecord {
  const value = canonicalJson(config);
  const tx = signTx(
    {
      txId: sha256Hex(value),
      fn: CONFIG_FN,
      argsHash: sha256Hex(canonicalJson([value])),
      creator: { mspId: LEDGER_CREATOR, id: config.ledger.fingerprint },
      timestamp,
      reads: [],
      ranges: [],
      writes: [{ key: 'config', value }],
      events: [],
    },
    ledgerKey,
  );
  return { ...tx, valid: true };
}

/** The config a config tx carries, checked for shape; throws naming what is wrong. */
export function configOf(tx: TxRecord): LedgerConfig {
  if (tx?.fn !== CONFIG_FN) throw new Error(`its first transaction is not the ledger config (${CONFIG_FN})`);
  const value = tx.writes?.length === 1 && tx.writes[0].key === 'config' ? tx.writes[0].value : null;
  let config: LedgerConfig;
  try {
    config = JSON.parse(String(value)) as LedgerConfig;
  } catch {
    throw new Error('the config transaction holds no readable config');
  }
  if (config?.format !== CONFIG_FORMAT || !config.ledger || !Array.isArray(config.organisations)) {
    throw new Error(`the config transaction is not a ${CONFIG_FORMAT} config`);
  }
  // One key per organisation: a second entry would silently replace the first one's key.
  const seen = new Set<string>();
  for (const { mspId } of config.organisations) {
    if (seen.has(mspId)) throw new Error(`the config names organisation ${mspId} more than once`);
    seen.add(mspId);
  }
  for (const key of [config.ledger, ...config.organisations]) {
    if (keyFingerprint(key.publicKey) !== key.fingerprint) {
      throw new Error(`the config names a key whose fingerprint does not match it (${key.fingerprint})`);
    }
  }
  return config;
}

/** The public keys of a config, by organisation. */
export function organisationKeys(config: LedgerConfig): Map<string, KeyObject> {
  return new Map(config.organisations.map((o) => [o.mspId, publicKeyFromBase64(o.publicKey)]));
}
