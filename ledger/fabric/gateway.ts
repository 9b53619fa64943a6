// The Fabric side of LedgerGateway: contract transactions submitted and evaluated through the
// Fabric Gateway service of a peer (@hyperledger/fabric-gateway over grpc-js with TLS). Each
// organisation's identity gets its own Gateway connection (a connection signs as one identity);
// connections to the same peer share one gRPC channel.
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
  private readonly clients = new Map<string, grpc.Client>();
  private readonly gateways = new Map<string, Gateway>();
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;

  constructor(
    readonly profile: ConnectionProfile,
    options: FabricGatewayOptions = {},
  ) {
    this.retry = { attempts: 8, backoffMs: 50, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Reads from the engine's organisation unless told otherwise; queries need no department. */
  readerMspId(): string {
    return this.profile.identities.GovflowMSP ? 'GovflowMSP' : Object.keys(this.profile.identities)[0];
  }

  async submit(
    fn: string,
    args: string[],
    as: LedgerIdentity,
    transient?: Record<string, string>,
  ): Promise<string> {
    const contract = this.contractFor(as.mspId);
    return withRetries(fn, this.retry, async () =>
      decoder.decode(await contract.submit(fn, { arguments: args, transientData: transient })),
    );
  }

  async evaluate(fn: string, args: string[], as?: LedgerIdentity): Promise<string> {
    const contract = this.contractFor(as?.mspId ?? this.readerMspId());
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
    const network = this.gatewayFor(this.readerMspId()).getNetwork(this.profile.channel);
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

  /** Evaluates a system chaincode (qscc) function on the channel through the reader's peer: raw bytes. */
  async evaluateSystem(chaincode: string, fn: string, args: string[]): Promise<Uint8Array> {
    const network = this.gatewayFor(this.readerMspId()).getNetwork(this.profile.channel);
    return withRetries(`${chaincode} ${fn}`, this.retry, () =>
      network.getContract(chaincode).evaluate(fn, { arguments: args }),
    );
  }

  async close(): Promise<void> {
    for (const gateway of this.gateways.values()) gateway.close();
    for (const client of this.clients.values()) client.close();
    this.gateways.clear();
    this.clients.clear();
  }

  private contractFor(mspId: string) {
    return this.gatewayFor(mspId).getNetwork(this.profile.channel).getContract(this.profile.chaincode);
  }

  private gatewayFor(mspId: string): Gateway {
    const existing = this.gateways.get(mspId);
    if (existing) return existing;
    const identity = this.profile.identities[mspId];
    if (!identity) {
      // Like the contract refusing an organisation: the caller asked to act as one we cannot be.
      const refusal = new CodedContractError(
        'FORBIDDEN',
        `no Fabric identity for organisation ${mspId} in the connection profile (it has ${Object.keys(this.profile.identities).join(', ')})`,
      );
      throw new ContractError(refusal.message);
    }
    const deadline = () => ({ deadline: Date.now() + this.timeoutMs });
    const gateway = connect({
      client: this.clientFor(identity.peer),
      identity: { mspId, credentials: readFileSync(identity.cert) },
      signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(keyFile(identity.key)))),
      hash: hash.sha256,
      evaluateOptions: deadline,
      endorseOptions: deadline,
      submitOptions: deadline,
      commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
    });
    this.gateways.set(mspId, gateway);
    return gateway;
  }

  private clientFor(peerMspId: string): grpc.Client {
    const existing = this.clients.get(peerMspId);
    if (existing) return existing;
    const peer = this.profile.peers[peerMspId];
    const credentials = grpc.credentials.createSsl(readFileSync(peer.tlsRootCert));
    const options = peer.hostAlias ? { 'grpc.ssl_target_name_override': peer.hostAlias } : {};
    const client = new grpc.Client(peer.endpoint, credentials, options);
    this.clients.set(peerMspId, client);
    return client;
  }
}

/** cryptogen puts the key in a keystore directory under a generated name: accept either. */
function keyFile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const [first] = readdirSync(path).filter((name) => name.endsWith('_sk') || name.endsWith('.pem'));
  if (!first) throw new Error(`no private key in ${path}`);
  return join(path, first);
}
