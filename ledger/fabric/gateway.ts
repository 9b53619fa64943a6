// The Fabric side of LedgerGateway: contract transactions submitted and evaluated through the
// Fabric Gateway service of a peer (@hyperledger/fabric-gateway over grpc-js with TLS). A gateway
// holds exactly one identity, its organisation's (the connection profile names one): a call as any
// other organisation is refused before anything is read or sent, as the contract would refuse it.
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, type Gateway, hash, signers } from '@hyperledger/fabric-gateway';
import { CodedContractError } from '../../chaincode/src/contract-errors.ts';
import { parseEventPayload } from '../checkpointer.ts';
import type { LedgerGateway } from '../contract-ledger.ts';
import { ContractError } from '../errors.ts';
import type { EventsOptions, LedgerEvent, LedgerIdentity } from '../types.ts';
import type { ConnectionProfile } from './connection.ts';
import { type RetryOptions, withRetries } from './failures.ts';

const decoder = new TextDecoder();

export interface FabricGatewayOptions {
  retry?: Partial<RetryOptions>;
  /** Deadline of an endorsement or an evaluation, ms (default 15 s); commit waits 60 s. */
  timeoutMs?: number;
}

export class FabricGateway implements LedgerGateway {
  private client?: grpc.Client;
  private gateway?: Gateway;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;

  constructor(
    readonly profile: ConnectionProfile,
    options: FabricGatewayOptions = {},
  ) {
    this.retry = { attempts: 8, backoffMs: 50, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** The organisation this gateway acts for. */
  get mspId(): string {
    return this.profile.mspId;
  }

  async submit(
    fn: string,
    args: string[],
    as: LedgerIdentity,
    transient?: Record<string, string>,
  ): Promise<string> {
    const contract = this.contractFor(fn, as.mspId);
    return withRetries(fn, this.retry, async () =>
      decoder.decode(await contract.submit(fn, { arguments: args, transientData: transient })),
    );
  }

  async evaluate(fn: string, args: string[], as?: LedgerIdentity): Promise<string> {
    // Queries are not access-controlled by the contract, but a query as another organisation
    // would claim its identity (private data reads): only this gateway's own.
    const contract = this.contractFor(fn, as?.mspId ?? this.mspId);
    return withRetries(fn, this.retry, async () =>
      decoder.decode(await contract.evaluate(fn, { arguments: args })),
    );
  }

  /**
   * The chaincode's events through the peer's chaincode event service. It carries neither the
   * transaction's index in its block nor its time: `txIndex` is the event's ordinal among the
   * block's chaincode events (resuming by index counts the same way) and `timestamp` is empty.
   */
  async *events(options: EventsOptions = {}): AsyncIterable<LedgerEvent> {
    const { after, signal } = options;
    const network = this.connection().getNetwork(this.profile.channel);
    const resumeInBlock = after && (after.txId !== undefined || after.txIndex !== undefined);
    const stream = await network.getChaincodeEvents(this.profile.chaincode, {
      ...(after?.txId !== undefined
        ? {
            checkpoint: {
              getBlockNumber: () => BigInt(after.blockNumber),
              getTransactionId: () => after.txId,
            },
          }
        : after
          ? { startBlock: BigInt(after.blockNumber + (resumeInBlock ? 0 : 1)) }
          : options.from === 'now'
            ? {}
            : { startBlock: 0n }),
    });
    const stop = () => stream.close();
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    let block = -1;
    let ordinal = -1;
    try {
      for await (const event of stream) {
        // Events the stream had already received when the signal aborted are not delivered.
        if (signal?.aborted) break;
        const blockNumber = Number(event.blockNumber);
        ordinal = blockNumber === block ? ordinal + 1 : 0;
        block = blockNumber;
        if (after?.txId === undefined && after?.txIndex !== undefined && blockNumber === after.blockNumber)
          if (ordinal <= after.txIndex) continue;
        const text = decoder.decode(event.payload);
        yield {
          name: event.eventName,
          payload: parseEventPayload(text),
          txId: event.transactionId,
          blockNumber,
          txIndex: ordinal,
          eventIndex: 0,
          timestamp: '',
        };
      }
    } catch (err) {
      if (!signal?.aborted) throw err; // closing the stream on abort ends it with a cancellation
    } finally {
      signal?.removeEventListener('abort', stop);
      stream.close();
    }
  }

  /** Evaluates a system chaincode (qscc) function on the channel through this organisation's peer: raw bytes. */
  async evaluateSystem(chaincode: string, fn: string, args: string[]): Promise<Uint8Array> {
    const network = this.connection().getNetwork(this.profile.channel);
    return withRetries(`${chaincode} ${fn}`, this.retry, () =>
      network.getContract(chaincode).evaluate(fn, { arguments: args }),
    );
  }

  async close(): Promise<void> {
    this.gateway?.close();
    this.client?.close();
    this.gateway = undefined;
    this.client = undefined;
  }

  private contractFor(fn: string, mspId: string) {
    if (mspId !== this.mspId) {
      // Like the contract refusing an organisation: the caller asked to act as one we cannot be.
      const refusal = new CodedContractError(
        'FORBIDDEN',
        `${fn}: this process holds only ${this.mspId}'s identity; it cannot submit as ${mspId}`,
      );
      throw new ContractError(refusal.message, fn);
    }
    return this.connection().getNetwork(this.profile.channel).getContract(this.profile.chaincode);
  }

  /** The one Gateway connection, made on first use (nothing is dialled before). */
  private connection(): Gateway {
    if (this.gateway) return this.gateway;
    const { gateway, client } = connectOrganisation(this.profile, this.timeoutMs);
    this.gateway = gateway;
    this.client = client;
    return gateway;
  }
}

/**
 * A fabric-gateway connection as the profile's organisation, through its own peer: what every
 * govflow process uses, and what tests and benchmarks take to call the network without govflow.
 */
export function connectOrganisation(
  profile: ConnectionProfile,
  timeoutMs = 15_000,
): { gateway: Gateway; client: grpc.Client } {
  const { identity, peer } = profile;
  const deadline = () => ({ deadline: Date.now() + timeoutMs });
  const options = peer.hostAlias ? { 'grpc.ssl_target_name_override': peer.hostAlias } : {};
  const client = new grpc.Client(
    peer.endpoint,
    grpc.credentials.createSsl(readFileSync(peer.tlsRootCert)),
    options,
  );
  const gateway = connect({
    client,
    identity: { mspId: profile.mspId, credentials: readFileSync(identity.cert) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(keyFile(identity.key)))),
    hash: hash.sha256,
    evaluateOptions: deadline,
    endorseOptions: deadline,
    submitOptions: deadline,
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  return { gateway, client };
}

/** cryptogen puts the key in a keystore directory under a generated name: accept either. */
function keyFile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const [first] = readdirSync(path).filter((name) => name.endsWith('_sk') || name.endsWith('.pem'));
  if (!first) throw new Error(`no private key in ${path}`);
  return join(path, first);
}
