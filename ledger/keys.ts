// The keys behind the embedded ledger's trust model, none of them in its data directory:
// - the ledger's own key (the orderer's, in Fabric terms) signs blocks and checkpoints;
// - each organisation (GovflowMSP, LandRegistryMSP, ...) has its own key pair: it signs the
//   transactions that organisation submits and the checkpoints it witnesses.
// An operator who can edit `.data/` cannot sign as the ledger or as a department without also
// holding these files. Dev default: `~/.config/govflow/` (or `$XDG_CONFIG_HOME/govflow`),
// created mode 0700 with keys 0600; production points GOVFLOW_LEDGER_KEY and GOVFLOW_KEY_DIR at
// key files each organisation keeps for itself.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where organisation keys live: GOVFLOW_KEY_DIR, else the user's config folder. */
export function keyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GOVFLOW_KEY_DIR) return env.GOVFLOW_KEY_DIR;
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'govflow');
}

/** The ledger's block and checkpoint signing key: GOVFLOW_LEDGER_KEY, else `<keyDir>/ledger-key.pem`. */
export function ledgerKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.GOVFLOW_LEDGER_KEY || join(keyDir(env), 'ledger-key.pem');
}

/** An organisation's private key file: `<keyDir>/organisations/<MSP id>.pem`. */
export function organisationKeyFile(mspId: string, dir: string = keyDir()): string {
  if (!/^[A-Za-z][A-Za-z0-9.-]*$/.test(mspId)) throw new Error(`not an organisation (MSP) id: "${mspId}"`);
  return join(dir, 'organisations', `${mspId}.pem`);
}

/** Loads an Ed25519 private key from `file`, creating it (0600, folder 0700) when absent. */
export function loadOrCreatePrivateKey(file: string): KeyObject {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeAtomically(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  }
  return loadPrivateKey(file);
}

/** Loads an existing private key; refuses one that others can read, as ssh does. */
export function loadPrivateKey(file: string): KeyObject {
  if (!existsSync(file)) throw new Error(`key file ${file} does not exist`);
  const key = createPrivateKey(readFileSync(file));
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`key file ${file} holds a ${key.asymmetricKeyType} key; an Ed25519 key is needed`);
  }
  return key;
}

/** The public key as base64 SPKI DER: the form published and pinned by verifiers. */
export function publicKeyBase64(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return (pub.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
}

/** Reads a public key back from its base64 SPKI DER form. */
export function publicKeyFromBase64(spki: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
}

/** SHA-256 (hex) of the SPKI DER: how receipts and configuration name a key. */
export function keyFingerprint(key: KeyObject | string): string {
  const spki = typeof key === 'string' ? key : publicKeyBase64(key);
  return createHash('sha256').update(Buffer.from(spki, 'base64')).digest('hex');
}

/** Write to a temporary name, fsync, then link into place, so nobody reads half a key. */
export function writeAtomically(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode); // the umask may have taken bits away from writeFileSync's mode
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
}
