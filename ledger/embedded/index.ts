// The embedded ledger: the govflow contract run in-process over signed, hash-chained blocks in a
// local directory. The default on one machine; the API and the worker may open it together.
import { ContractLedger } from '../contract-ledger.ts';
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
import { verifyLedgerFiles } from './verify.ts';
import { LedgerStore } from './world-state.ts';

export { CheckpointMismatchError } from '../checkpointer.ts';
export { followEvents } from './events.ts';
export { EmbeddedGateway, type EmbeddedGatewayOptions, READER } from './gateway.ts';
export { verifyLedgerFiles } from './verify.ts';
export { MvccConflictError } from './world-state.ts';

const stepKey = (applicationId: string, elementInstanceId: string) =>
  `\u0000step\u0000${applicationId}\u0000${elementInstanceId}\u0000`;

export class EmbeddedLedger extends ContractLedger implements Ledger {
  /** Ends the event streams of this instance when it is closed. */
  private readonly closing = new AbortController();

  private constructor(
    readonly dir: string,
    private readonly store: LedgerStore,
    private readonly embedded: EmbeddedGateway,
  ) {
    super('embedded', embedded);
  }

  /** Opens (creating on first use) the ledger in `dir`, repairing a half-written last block. */
  static async open(dir: string, options: EmbeddedGatewayOptions = {}): Promise<EmbeddedLedger> {
    const store = await LedgerStore.open(dir);
    return new EmbeddedLedger(dir, store, new EmbeddedGateway(store, options));
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
    return verifyLedgerFiles(this.dir, applicationId);
  }

  /** Reads the block file, so commits of every process sharing the directory are delivered. */
  override events(options: EventsOptions = {}): AsyncIterable<LedgerEvent> {
    const signal = options.signal
      ? AbortSignal.any([options.signal, this.closing.signal])
      : this.closing.signal;
    return followEvents(this.dir, { ...options, signal });
  }

  override async close(): Promise<void> {
    this.closing.abort();
    await super.close();
  }

  /** Checks every block of the ledger, whichever application it belongs to. */
  async verifyAll(): Promise<VerifyReport> {
    return verifyLedgerFiles(this.dir);
  }
}
