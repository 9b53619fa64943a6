// The local "peer" of the embedded ledger: block file, checks, world state, checkpoints, and the
// commit path. Blocks are applied only after the chain checks (chain.ts); a ledger whose files
// fail them does not open, and blocks another process appends that fail them are never applied:
// the failure is thrown by every later commit, simulation and anchors call instead.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { CHECKPOINTS_FILE, CheckpointLog, WITNESSES_FILE } from '../anchors/checkpoint-log.ts';
import type { PublishedKey } from '../anchors/types.ts';
import {
  ensureOrganisationKeyPair,
  keyDir,
  keyFingerprint,
  ledgerKeyFile,
  loadOrCreatePrivateKey,
  loadPublicKey,
  organisationPublicKeyFile,
  publicKeyDir,
} from '../keys.ts';
import { BLOCKS_FILE, type Block, BlockStore, LEGACY_KEY_FILE, type RawLine } from './block-store.ts';
import { BlockRejectedError, VerifiedChain } from './chain.ts';
import {
  CONFIG_FORMAT,
  configTx,
  defaultOrganisations,
  ENGINE_ORGANISATION,
  type LedgerConfig,
  published,
} from './genesis.ts';
import { PrivateStore, type PrivateWrite } from './private-store.ts';
import { MvccConflictError, type SignedTx, WorldState } from './world-state.ts';

export interface LedgerStoreOptions {
  /** The ledger's private key (blocks, checkpoints); default: ledgerKeyFile(), created on first use. */
  ledgerKey?: KeyObject;
  /**
   * Organisations and public keys a new ledger's genesis block names; only read when creating one.
   * Default: the engine and every registry owner, their public keys from publicKeyDir().
   */
  genesisOrganisations?: () => (PublishedKey & { mspId: string })[];
}

/**
 * Every known organisation's public key from `publicDir` (`organisations/<MSP id>.pub.pem`): no
 * private key is read. `createIn`: a key directory where missing pairs are made (development).
 */
export function organisationsFromPublicKeys(
  publicDir: string = publicKeyDir(),
  createIn?: string,
): (PublishedKey & { mspId: string })[] {
  return defaultOrganisations().map((mspId) => {
    const file = organisationPublicKeyFile(mspId, publicDir);
    if (createIn && !existsSync(file)) ensureOrganisationKeyPair(mspId, createIn, publicDir);
    if (!existsSync(file))
      throw new Error(
        `cannot create the ledger: ${mspId}'s public key ${file} does not exist (each organisation publishes its public key there; \`govflow dev\` makes every key pair on one machine)`,
      );
    return { mspId, ...published(loadPublicKey(file)) };
  });
}

const LOCK_OPTIONS = {
  stale: 10_000,
  // Long enough to outlast a stale lock left by a killed process.
  retries: { retries: 2_000, factor: 1.2, minTimeout: 2, maxTimeout: 40, randomize: true },
  realpath: false,
};

const nonEmpty = (file: string) => existsSync(file) && statSync(file).size > 0;

export class LedgerStore {
  readonly state = new WorldState();
  /** Values of private writes; the blocks carry their hashes. */
  readonly privateData: PrivateStore;
  readonly chain: VerifiedChain;
  readonly checkpoints: CheckpointLog;
  readonly ledgerPublicKey: KeyObject;
  private readonly blocks: BlockStore;
  /** The first block (or checkpoint) that failed its checks: nothing past it is served. */
  private failure: BlockRejectedError | null = null;
  /** Commits of this process, one at a time; the lock file orders them against other processes. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly ledgerKey: KeyObject,
  ) {
    this.ledgerPublicKey = createPublicKey(ledgerKey);
    this.chain = new VerifiedChain(this.ledgerPublicKey);
    this.blocks = new BlockStore(dir);
    this.privateData = new PrivateStore(dir);
    this.checkpoints = new CheckpointLog(dir, this.ledgerPublicKey, this.chain.ledgerFingerprint);
  }

  /** Opens the ledger in `dir` (creating it with its genesis block), refusing files that fail the checks. */
  static async open(dir: string, options: LedgerStoreOptions = {}): Promise<LedgerStore> {
    mkdirSync(dir, { recursive: true });
    const store = new LedgerStore(dir, options.ledgerKey ?? loadOrCreatePrivateKey(ledgerKeyFile()));
    try {
      await store.locked(() => {
        store.catchUpAndTrim();
        if (!store.failure && !store.chain.config) store.createGenesis(options);
        if (!store.failure) store.catchUpCheckpoints(true);
        const latest = store.checkpoints.latest;
        const unsigned = !store.failure && latest ? store.checkpoints.signatureProblem(latest) : null;
        if (unsigned) store.failure = new BlockRejectedError(unsigned);
        if (store.failure) throw store.openError(store.failure);
        store.checkpoints.trimTails();
        // A crash between a block and its checkpoint leaves the block uncovered: cover it now.
        if ((store.checkpoints.latest?.size ?? 0) < store.chain.tree.size) store.issueCheckpoint();
      });
    } catch (err) {
      store.close();
      throw err;
    }
    return store;
  }

  /**
   * Checks and applies blocks other processes (or this one) appended since the last call. Private
   * values are not read here, before every simulation: a lookup that misses reads them then
   * (their lines are complete before the block that hashes them is appended).
   */
  catchUp(): void {
    this.applyLines(this.blocks.readNew());
  }

  /** `own`: the block this process just appended under the lock, checked before it was signed. */
  private applyLines(lines: RawLine[], own?: { block: Block; text: string }): void {
    if (this.failure) return;
    if (own && lines.length === 1 && lines[0].text === own.text) {
      this.chain.accept(own.block, lines[0].offset, Buffer.byteLength(own.text, 'utf8'));
      this.state.apply(own.block);
      return;
    }
    for (const { text, offset } of lines) {
      let block: Block;
      try {
        block = JSON.parse(text) as Block;
        if (!Number.isInteger(block.number) || !Array.isArray(block.txs)) throw new Error('not a block');
      } catch {
        this.failure = new BlockRejectedError(
          `${BLOCKS_FILE} at byte ${offset}, after block ${this.chain.last?.number ?? 'none'}: not a readable block — the file was altered or corrupted`,
        );
        return;
      }
      const problem = this.chain.problem(block);
      if (problem) {
        this.failure = new BlockRejectedError(`block ${block.number}: ${problem}`);
        return;
      }
      this.chain.accept(block, offset, Buffer.byteLength(text, 'utf8'));
      this.state.apply(block);
    }
  }

  /** Throws the failure that stopped this ledger, if any: forged state is never served. */
  assertIntact(): void {
    if (this.failure) {
      throw new BlockRejectedError(
        `the ledger in ${this.dir} failed its checks and serves nothing: ${this.failure.message}`,
      );
    }
  }

  /** Catches up blocks, then checkpoints and witness signatures; throws if anything failed. */
  catchUpAnchors(): void {
    this.catchUp();
    if (!this.failure) this.catchUpCheckpoints(false);
    this.assertIntact();
    this.checkpoints.sync();
  }

  /**
   * Validates the signed tx against current state and appends it as a block, then a checkpoint;
   * throws MvccConflictError. Private writes (in clear) go to the private store first.
   */
  commit(tx: SignedTx, privateWrites: PrivateWrite[] = []): Promise<{ blockNumber: number }> {
    const run = this.queue.then(() =>
      this.locked(() => {
        this.catchUpAndTrim();
        this.catchUpCheckpoints(false);
        this.assertIntact();
        this.checkpoints.trimTails(); // a checkpoint half-written by a crashed process
        const refused = this.chain.txProblem(tx);
        if (refused) throw new Error(`transaction ${tx.txId?.slice(0, 12)}… refused: ${refused}`);
        const conflict = this.state.conflicts(tx);
        if (conflict)
          throw new MvccConflictError(`MVCC_READ_CONFLICT: tx ${tx.txId.slice(0, 12)}…: ${conflict}`);
        const last = this.state.last;
        const number = last ? last.number + 1 : 0;
        if (privateWrites.length > 0) this.privateData.write(number, tx.txId, privateWrites);
        this.appendBlock(number, [{ ...tx, valid: true }]);
        return { blockNumber: number };
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Adds organisations to the ledger's config with a config transaction signed by the ledger key
   * (a block of its own). Existing organisations keep their keys; an MSP id already configured
   * with another key is refused.
   */
  addOrganisations(added: (PublishedKey & { mspId: string })[]): Promise<{ blockNumber: number }> {
    return this.withLock(() => {
      const config = this.chain.config!;
      for (const org of added) {
        const known = config.organisations.find((o) => o.mspId === org.mspId);
        if (known && known.fingerprint !== org.fingerprint) {
          throw new Error(
            `${org.mspId} is already an organisation of this ledger, with key ${known.fingerprint}`,
          );
        }
      }
      const fresh = added.filter((a) => !config.organisations.some((o) => o.mspId === a.mspId));
      if (fresh.length === 0) return { blockNumber: this.state.last?.number ?? 0 }; // nothing new
      const next: LedgerConfig = {
        ...config,
        organisations: [...config.organisations, ...fresh].sort((a, b) => (a.mspId < b.mspId ? -1 : 1)),
      };
      const timestamp = new Date().toISOString();
      const tx = configTx(next, this.ledgerKey, timestamp);
      const refused = this.chain.txProblem(tx);
      if (refused) throw new Error(`config update refused: ${refused}`);
      const number = (this.state.last?.number ?? -1) + 1;
      this.appendBlock(number, [tx]);
      return { blockNumber: number };
    });
  }

  /** Runs `fn` under the ledger lock, after reading every file to its end. */
  withLock<T>(fn: () => T): Promise<T> {
    const run = this.queue.then(() =>
      this.locked(() => {
        this.catchUpAndTrim();
        this.catchUpCheckpoints(false);
        this.assertIntact();
        return fn();
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private appendBlock(number: number, txs: Block['txs']): void {
    const timestamp = new Date().toISOString();
    const own = this.blocks.append(
      { number, prevHash: this.state.last?.hash ?? '', timestamp, txs },
      this.ledgerKey,
    );
    // Under the lock the only new line is the block just written: applied as built. Anything
    // else goes through the checks of every other block.
    this.applyLines(this.blocks.readNew(), own);
    this.assertIntact();
    this.issueCheckpoint(timestamp);
  }

  private issueCheckpoint(timestamp = new Date().toISOString()): void {
    this.checkpoints.issue(this.ledgerKey, this.chain.tree, this.chain.last?.number ?? 0, timestamp);
  }

  private catchUpCheckpoints(complete: boolean): void {
    const config = this.chain.config;
    if (!config) return;
    this.checkpoints.catchUp(this.chain.tree, config, complete);
    if (this.checkpoints.problem && !this.failure)
      this.failure = new BlockRejectedError(this.checkpoints.problem);
  }

  /** Block 0 of a new ledger; refused when other files show a ledger was here. */
  private createGenesis(options: LedgerStoreOptions): void {
    const evidence = [CHECKPOINTS_FILE, WITNESSES_FILE, LEGACY_KEY_FILE].filter((f) =>
      nonEmpty(join(this.dir, f)),
    );
    if (evidence.length > 0) {
      this.failure = new BlockRejectedError(
        `${BLOCKS_FILE} is empty or missing, but ${evidence.join(' and ')} show(s) a ledger was here — blocks were removed`,
      );
      return;
    }
    const organisations = (
      options.genesisOrganisations ?? (() => organisationsFromPublicKeys(publicKeyDir(), keyDir()))
    )().sort((a, b) => (a.mspId < b.mspId ? -1 : 1));
    const config: LedgerConfig = {
      format: CONFIG_FORMAT,
      engine: ENGINE_ORGANISATION,
      ledger: published(this.ledgerPublicKey),
      organisations,
    };
    const timestamp = new Date().toISOString();
    this.blocks.append(
      { number: 0, prevHash: '', timestamp, txs: [configTx(config, this.ledgerKey, timestamp)] },
      this.ledgerKey,
    );
    this.catchUp();
  }

  private openError(failure: BlockRejectedError): BlockRejectedError {
    const legacy =
      existsSync(join(this.dir, LEGACY_KEY_FILE)) || /^block 0: not a genesis block/.test(failure.message);
    const hint = legacy
      ? ` This data directory was written by an older govflow (its ledger key beside the blocks, no genesis block); delete ${this.dir} to start a new ledger.`
      : '';
    return new BlockRejectedError(`the ledger in ${this.dir} does not open: ${failure.message}.${hint}`);
  }

  /** Reads every file to its end and drops half-written tails a crash left; under the lock only. */
  private catchUpAndTrim(): void {
    this.privateData.catchUp(); // the tails are known only once every complete line is read
    this.catchUp();
    if (this.failure) return; // nothing is repaired in a ledger that failed its checks
    this.blocks.discardPartialTail();
    this.privateData.discardPartialTails();
  }

  private async locked<T>(fn: () => T): Promise<T> {
    let compromised: Error | undefined;
    const release = await lockfile.lock(this.dir, {
      ...LOCK_OPTIONS,
      lockfilePath: join(this.dir, 'ledger.lock'),
      onCompromised: (err) => {
        compromised = err; // another process took the lock over: do not append
      },
    });
    try {
      if (compromised) throw compromised;
      return fn();
    } finally {
      await release().catch(() => undefined);
    }
  }

  close(): void {
    this.blocks.close();
    this.privateData.close();
    this.checkpoints.close();
  }

  get ledgerFingerprint(): string {
    return keyFingerprint(this.ledgerPublicKey);
  }
}
