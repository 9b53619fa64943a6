// The embedded gateway: simulates a transaction by running the contract in-process against a
// stub over the local world state, then orders and commits its read/write set. Like a Fabric
// client, it re-simulates and resubmits when validation reports an MVCC read conflict.
import './contract-logging.ts';
import { randomBytes } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import { GovflowContract } from '../../chaincode/src/govflow-contract.ts';
import { PRIVATE_COLLECTIONS } from '../../chaincode/src/registries.ts';
import type { LedgerGateway } from '../contract-ledger.ts';
import { ContractError } from '../errors.ts';
import type { LedgerIdentity } from '../types.ts';
import { signTx } from './genesis.ts';
import type { LedgerStore } from './ledger-store.ts';
import type { OrganisationSigners } from './signers.ts';
import { EmbeddedClientIdentity, EmbeddedStub, type PrivateDataAccess } from './stub.ts';
import { MvccConflictError } from './world-state.ts';

/** Who evaluates queries: reads are not access-controlled by the contract; it needs no key (commits nothing). */
export const READER: LedgerIdentity = { mspId: 'GovflowMSP', id: 'govflow-reader' };

export interface EmbeddedGatewayOptions {
  /** Simulate-and-commit attempts before an MVCC conflict is reported (default 20). */
  maxAttempts?: number;
}

type ContractMethod = (ctx: unknown, ...args: string[]) => Promise<unknown>;

export class EmbeddedGateway implements LedgerGateway {
  private readonly contract = new GovflowContract();
  /** Transaction names from the @Transaction metadata, as fabric-contract-api routes them. */
  private readonly transactions: Set<string>;
  private readonly maxAttempts: number;
  /** The peer's view of private data: the chaincode's collections and the local private store. */
  private readonly privateData: PrivateDataAccess;
  private closed = false;

  constructor(
    private readonly store: LedgerStore,
    private readonly signers: OrganisationSigners,
    options: EmbeddedGatewayOptions = {},
  ) {
    const reflect = Reflect as unknown as {
      getMetadata(key: string, target: object): { name: string }[] | undefined;
    };
    this.transactions = new Set(
      (reflect.getMetadata('fabric:transactions', GovflowContract.prototype) ?? []).map((t) => t.name),
    );
    this.maxAttempts = options.maxAttempts ?? 20;
    this.privateData = {
      collections: new Map(PRIVATE_COLLECTIONS.map((c) => [c.name, c.members])),
      lookup: (collection, key, expected) => store.privateData.lookup(collection, key, expected),
    };
  }

  /**
   * Transient data reaches the contract only: the block keeps the hash of `args` alone. The tx is
   * signed with the key of `as.mspId` (this process must hold it) and the committer checks it.
   */
  async submit(
    fn: string,
    args: string[],
    as: LedgerIdentity,
    transient?: Record<string, string>,
  ): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const { stub, result } = await this.simulate(fn, args, as, transient);
      if (!stub.hasWrites()) return result; // nothing to order (e.g. a retried step): like a query
      try {
        const tx = signTx(stub.toDraft(sha256Hex(canonicalJson(args))), this.signerFor(fn, as));
        await this.store.commit(tx, stub.privateWriteSet());
        return result;
      } catch (err) {
        if (!(err instanceof MvccConflictError) || attempt >= this.maxAttempts) {
          if (err instanceof MvccConflictError) err.message += ` (gave up after ${attempt} attempts)`;
          throw err;
        }
        // Back off a little, with jitter, so parallel writers of one application spread out.
        await new Promise((r) => setTimeout(r, Math.min(200, 4 * 2 ** attempt) * (0.5 + Math.random())));
      }
    }
  }

  async evaluate(fn: string, args: string[], as: LedgerIdentity = READER): Promise<string> {
    return (await this.simulate(fn, args, as)).result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.store.close();
  }

  /** The key `as` signs with; a process that cannot sign as it is refused (FORBIDDEN, no retry heals it). */
  private signerFor(fn: string, as: LedgerIdentity) {
    try {
      return this.signers.key(as.mspId);
    } catch (err) {
      throw new ContractError(`${fn}: ${(err as Error).message} [govflow:FORBIDDEN]`, fn);
    }
  }

  /** Runs the contract on fresh state; everything the contract throws is a ContractError. */
  private async simulate(fn: string, args: string[], as: LedgerIdentity, transient?: Record<string, string>) {
    if (this.closed) throw new Error('the embedded ledger is closed');
    if (!this.transactions.has(fn)) {
      throw new ContractError(`You've asked to invoke a function that does not exist: ${fn}`, fn);
    }
    const method = (this.contract as unknown as Record<string, ContractMethod>)[fn];
    if (method.length - 1 !== args.length) {
      throw new ContractError(
        `${fn}: expected ${method.length - 1} parameters, but ${args.length} have been supplied`,
        fn,
      );
    }
    // The identity the contract sees is one this process can sign for, with the key the genesis
    // block names: the committer accepts the tx only with that organisation's signature.
    if (as !== READER) this.signerFor(fn, as);
    this.store.catchUp();
    this.store.assertIntact();
    const stub = new EmbeddedStub(
      this.store.state,
      {
        fn,
        args,
        creator: { mspId: as.mspId, id: as.id },
        nonce: randomBytes(24),
        timestampMillis: Date.now(),
        transient,
      },
      this.privateData,
    );
    const ctx = this.contract.createContext() as unknown as {
      setChaincodeStub(stub: unknown): void;
      setClientIdentity(identity: unknown): void;
    };
    ctx.setChaincodeStub(stub);
    ctx.setClientIdentity(new EmbeddedClientIdentity(stub.creator));
    try {
      await this.contract.beforeTransaction(ctx as never);
      const result = await method.call(this.contract, ctx, ...args);
      await this.contract.afterTransaction(ctx as never, result);
      return { stub, result: typeof result === 'string' ? result : (JSON.stringify(result) ?? '') };
    } catch (err) {
      throw new ContractError(err instanceof Error ? err.message : String(err), fn);
    }
  }
}
