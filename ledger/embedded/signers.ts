// The organisation keys this process may sign transactions with. Each organisation's private
// key is its own file (ledger/keys.ts organisationKeyFile); a process that lacks the file of an
// organisation cannot submit as it, and a key that is not the one the genesis block names is
// refused before it signs anything.
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { keyFingerprint, loadPrivateKey, organisationKeyFile } from '../keys.ts';
import type { LedgerConfig } from './genesis.ts';

export class OrganisationSigners {
  private readonly keys = new Map<string, KeyObject>();

  constructor(
    private readonly config: () => LedgerConfig,
    private readonly keyDir: string,
    /** The organisations this process may sign for; undefined: any whose key file it has. */
    private readonly allowed?: readonly string[],
  ) {}

  /** The private key of `mspId`, checked against the genesis config; throws naming what is missing. */
  key(mspId: string): KeyObject {
    const cached = this.keys.get(mspId);
    if (cached) return cached;
    const config = this.config();
    const org = config.organisations.find((o) => o.mspId === mspId);
    if (!org) {
      throw new Error(
        `${JSON.stringify(mspId)} is not an organisation of this ledger (genesis config: ${config.organisations.map((o) => o.mspId).join(', ')})`,
      );
    }
    if (this.allowed && !this.allowed.includes(mspId)) {
      throw new Error(
        `this process may not submit as ${mspId}: it signs for ${this.allowed.join(', ') || 'no organisation'} only`,
      );
    }
    const file = organisationKeyFile(mspId, this.keyDir);
    if (!existsSync(file)) {
      throw new Error(`cannot submit as ${mspId}: its key file ${file} is not available to this process`);
    }
    const key = loadPrivateKey(file);
    const fingerprint = keyFingerprint(key);
    if (fingerprint !== org.fingerprint) {
      throw new Error(
        `cannot submit as ${mspId}: the key in ${file} (${fingerprint}) is not the one the ledger's genesis block names (${org.fingerprint})`,
      );
    }
    this.keys.set(mspId, key);
    return key;
  }
}
