// The keys behind the embedded ledger's trust model, none of them in its data directory:
// - the ledger's own key (the orderer's, in Fabric terms) signs blocks and checkpoints;
// - each organisation (GovflowMSP, LandRegistryMSP, ...) has its own key pair: it signs the
//   transactions that organisation submits and the checkpoints it witnesses.
// An operator who can edit `.data/` cannot sign as the ledger or as a department without also
// holding these files. An organisation's key pair is `<keyDir>/organisations/<MSP id>.pem` (private,
// 0600) and `<MSP id>.pub.pem` (public): a new ledger's genesis is built from the public keys
// alone, and each process reads only the private key of the organisation it acts for. Dev
// default: `~/.config/govflow/` (or `$XDG_CONFIG_HOME/govflow`), created mode 0700, where `govflow
// dev` makes every pair on first start (as cryptogen does for a dev network); a deployment gives
// each organisation's process its own GOVFLOW_KEY_DIR and all of them GOVFLOW_PUBLIC_KEY_DIR.
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

/** Where the organisations' public keys are: GOVFLOW_PUBLIC_KEY_DIR, else the key directory. */
export function publicKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GOVFLOW_PUBLIC_KEY_DIR || keyDir(env);
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

/** An organisation's public key file: `<dir>/organisations/<MSP id>.pub.pem`. */
export function organisationPublicKeyFile(mspId: string, dir: string = publicKeyDir()): string {
  return organisationKeyFile(mspId, dir).replace(/\.pem$/, '.pub.pem');
}

/**
 * Makes `mspId`'s key pair in `dir` where it is missing (development: one machine holds every
 * organisation's folder), and writes its public key also into `publicDir`. Returns the public key.
 */
export function ensureOrganisationKeyPair(mspId: string, dir: string, publicDir: string = dir): KeyObject {
  const pub = createPublicKey(loadOrCreatePrivateKey(organisationKeyFile(mspId, dir)));
  const pem = pub.export({ type: 'spki', format: 'pem' }) as string;
  for (const folder of new Set([dir, publicDir])) {
    const file = organisationPublicKeyFile(mspId, folder);
    if (existsSync(file)) continue;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeAtomically(file, pem, 0o644);
  }
  return pub;
}

/** Loads an organisation's published Ed25519 public key; throws naming the file. */
export function loadPublicKey(file: string): KeyObject {
  if (!existsSync(file)) throw new Error(`public key file ${file} does not exist`);
  const text = readFileSync(file, 'utf8');
  // createPublicKey would derive one from a private key too: a private key never belongs here.
  if (text.includes('PRIVATE KEY')) throw new Error(`public key file ${file} holds a private key`);
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch (err) {
    throw new Error(`public key file ${file} holds no readable public key: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`public key file ${file} holds a ${key.asymmetricKeyType} key; an Ed25519 key is needed`);
  }
  return key;
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
