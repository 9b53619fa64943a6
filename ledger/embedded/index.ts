// The embedded ledger: the govflow contract run in-process over signed, hash-chained blocks in a
// local directory. The default on one machine; the API and the worker may open it together.
import { EmbeddedAnchors } from '../anchors/embedded-anchors.ts';
import type { LedgerAnchors } from '../anchors/types.ts';
import { ContractLedger } from '../contract-ledger.ts';
import {
  keyDir,
  keyFingerprint,
  ledgerKeyFile,
  loadOrCreatePrivateKey,
  organisationKeyFile,
  publicKeyBase64,
  publicKeyDir,
  publicKeyFromBase64,
} from '../keys.ts';
import type {
  EventsOptions,
  Ledger,
  LedgerEvent,
  LedgerIdentity,
  TrailEntry,
  VerifyReport,
} from '../types.ts';
import { followEvents } from './events.ts';
import { EmbeddedGateway, type EmbeddedGatewayOptions, READER } from './gateway.ts';
import { LedgerStore, organisationsFromPublicKeys } from './ledger-store.ts';
import { OrganisationSigners } from './signers.ts';
import { verifyLedgerFiles } from './verify.ts';

export { CheckpointMismatchError } from '../checkpointer.ts';
export { BlockRejectedError } from './chain.ts';
export { followEvents } from './events.ts';
export { EmbeddedGateway, type EmbeddedGatewayOptions, READER } from './gateway.ts';
export { verifyLedgerFiles } from './verify.ts';
export { MvccConflictError } from './world-state.ts';

export interface EmbeddedLedgerOptions extends EmbeddedGatewayOptions {
  /**
   * The organisations this process acts for: it reads their private keys (when it first submits
   * as them) and no other's; a submit as any other organisation is FORBIDDEN. A service process
   * names exactly one. Default (tools and tests): every organisation whose key file it finds.
   */
  organisations?: readonly string[];
  /** Where this process's private keys are (default keyDir(): GOVFLOW_KEY_DIR or ~/.config/govflow). */
  keyDir?: string;
  /** Where every organisation's public key is (default publicKeyDir(): GOVFLOW_PUBLIC_KEY_DIR or the key dir). */
  publicKeyDir?: string;
  /**
   * Make missing organisation key pairs in `keyDir` when creating a new ledger (development, as
   * cryptogen does for a dev network). Default: true unless the public keys have a directory of
   * their own (GOVFLOW_PUBLIC_KEY_DIR, a deployment's layout), where a ledger is created only from
   * the public keys the organisations published.
   */
  createKeys?: boolean;
  /** The ledger's key file (default ledgerKeyFile(): GOVFLOW_LEDGER_KEY or <keyDir>/ledger-key.pem). */
  ledgerKeyFile?: string;
}

const stepKey = (applicationId: string, elementInstanceId: string) =>
  `\u0000step\u0000${applicationId}\u0000${elementInstanceId}\u0000`;

export class EmbeddedLedger extends ContractLedger implements Ledger {
  /** Ends the event streams of this instance when it is closed. */
  private readonly closing = new AbortController();
  readonly anchors: LedgerAnchors;

  private constructor(
    readonly dir: string,
    private readonly store: LedgerStore,
    private readonly embedded: EmbeddedGateway,
  ) {
    super('embedded', embedded);
    this.anchors = new EmbeddedAnchors(store);
  }

  /**
   * Opens the ledger in `dir`, creating it (with its genesis block naming the ledger key and every
   * organisation's) on first use, repairing a half-written last block. Refuses a ledger whose files
   * fail the checks, naming the first bad block. The genesis names the organisations' public keys
   * (no private key is read for it); in development missing key pairs are made in the key
   * directory, never in `dir`.
   */
  static async open(dir: string, options: EmbeddedLedgerOptions = {}): Promise<EmbeddedLedger> {
    const keys = options.keyDir ?? keyDir();
    // Public keys kept apart from private ones is a deployment's layout: never make keys there.
    const createKeys = options.createKeys ?? !(options.publicKeyDir || process.env.GOVFLOW_PUBLIC_KEY_DIR);
    const publicKeys =
      options.publicKeyDir ??
      (options.keyDir
        ? publicKeyDir({ GOVFLOW_KEY_DIR: keys, GOVFLOW_PUBLIC_KEY_DIR: process.env.GOVFLOW_PUBLIC_KEY_DIR })
        : publicKeyDir());
    const store = await LedgerStore.open(dir, {
      ledgerKey: loadOrCreatePrivateKey(options.ledgerKeyFile ?? ledgerKeyFile()),
      genesisOrganisations: () => organisationsFromPublicKeys(publicKeys, createKeys ? keys : undefined),
    });
    const signers = new OrganisationSigners(
      () => {
        if (!store.chain.config) throw new Error('the ledger has no genesis block');
        return store.chain.config;
      },
      keys,
      options.organisations,
    );
    return new EmbeddedLedger(dir, store, new EmbeddedGateway(store, signers, options));
  }

  /** Verifies a ledger directory as stored, without opening (or repairing) it. */
  static async verifyFiles(dir: string, applicationId?: string): Promise<VerifyReport> {
    return verifyLedgerFiles(dir, applicationId);
  }

  /** Submits a contract transaction by name, as a Fabric gateway client would. */
  submit(
    fn: string,
    args: string[],
    as: LedgerIdentity,
    transient?: Record<string, string>,
  ): Promise<string> {
    return this.embedded.submit(fn, args, as, transient);
  }

  /** Evaluates a query transaction by name; nothing is committed. */
  evaluate(fn: string, args: string[], as: LedgerIdentity = READER): Promise<string> {
    return this.embedded.evaluate(fn, args, as);
  }

  override async trail(applicationId: string): Promise<TrailEntry[]> {
    const records = await this.records(applicationId);
    return records.map((record) => ({
      record,
      blockNumber: this.store.state.get(stepKey(record.applicationId, record.elementInstanceId))?.version
        .block,
    }));
  }

  /** Checks the blocks on disk and the application's records (not this process's memory). */
  override async verify(applicationId: string): Promise<VerifyReport> {
    // Against the ledger key this instance was opened with (it may differ from the environment's).
    return verifyLedgerFiles(this.dir, applicationId, { ledgerKey: this.store.ledgerPublicKey });
  }

  /** Reads the block file, so commits of every process sharing the directory are delivered. */
  override events(options: EventsOptions = {}): AsyncIterable<LedgerEvent> {
    const signal = options.signal
      ? AbortSignal.any([options.signal, this.closing.signal])
      : this.closing.signal;
    const chain = this.store.chain;
    return followEvents(this.dir, {
      ...options,
      signal,
      ledgerKey: this.store.ledgerPublicKey,
      verifiedHash: (n) => chain.blockHashes[n],
    });
  }

  override async close(): Promise<void> {
    this.closing.abort();
    await super.close();
  }

  /**
   * Adds an organisation (MSP id and base64 SPKI public key) to the ledger's config: a config
   * transaction signed by the ledger key. Its transactions and witness signatures verify from then on.
   */
  async addOrganisation(mspId: string, publicKey: string): Promise<{ blockNumber: number }> {
    organisationKeyFile(mspId); // refuses what is not an MSP id
    let key: ReturnType<typeof publicKeyFromBase64> | undefined;
    try {
      key = publicKeyFromBase64(publicKey);
    } catch {
      // reported below
    }
    if (key?.asymmetricKeyType !== 'ed25519' || publicKeyBase64(key) !== publicKey) {
      throw new Error(`the public key of ${mspId} is not a base64 SPKI Ed25519 key`);
    }
    return this.store.addOrganisations([{ mspId, publicKey, fingerprint: keyFingerprint(publicKey) }]);
  }

  /** Checks every block of the ledger, whichever application it belongs to. */
  async verifyAll(): Promise<VerifyReport> {
    return verifyLedgerFiles(this.dir, undefined, { ledgerKey: this.store.ledgerPublicKey });
  }
}
