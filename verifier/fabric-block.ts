// Fabric's block and transaction messages, read with the minimal protobuf reader: the pieces a
// receipt check needs (fabric-protos: common/common.proto, peer/transaction.proto,
// peer/proposal_response.proto, ledger/rwset). Field numbers are the protos'.
import {
  bytesOf,
  concatBytes,
  decode,
  encodeBytesFields,
  type Fields,
  messageOf,
  repeatedBytes,
  stringOf,
  varintOf,
} from './protobuf.ts';
import { sha256 } from './sha256.ts';

/** common.BlockMetadataIndex */
export const SIGNATURES = 0;
export const TRANSACTIONS_FILTER = 2;
/** common.HeaderType ENDORSER_TRANSACTION */
export const ENDORSER_TRANSACTION = 3;
/** peer.TxValidationCode VALID */
export const VALID = 0;

export interface Identity {
  mspId: string;
  /** The PEM certificate as serialised by the MSP. */
  certificate: string;
  /** The SerializedIdentity bytes, as signed over by endorsers. */
  raw: Uint8Array;
}

export interface Block {
  number: bigint;
  previousHash: Uint8Array;
  dataHash: Uint8Array;
  data: Uint8Array[];
  metadata: Uint8Array[];
}

export interface OrdererSignature {
  /** metadata.value || signature_header || BlockHeaderBytes: what the orderer signed. */
  signed: Uint8Array;
  signature: Uint8Array;
  signer: Identity;
}

export interface Endorsement {
  endorser: Identity;
  signature: Uint8Array;
}

export interface EndorserTransaction {
  type: number;
  channel: string;
  txId: string;
  timestamp: Date;
  creator: Identity;
  /** The envelope's payload and the creator's signature over it. */
  payload: Uint8Array;
  signature: Uint8Array;
  chaincode: string;
  /** What every endorser signed (followed by its own identity bytes). */
  proposalResponsePayload: Uint8Array;
  endorsements: Endorsement[];
  /** The simulation's reads and writes, by chaincode namespace (public state only). */
  namespaces: {
    namespace: string;
    reads: string[];
    writes: { key: string; value: Uint8Array; isDelete: boolean }[];
  }[];
}

const text = new TextDecoder('utf-8', { fatal: true });

export function decodeBlock(bytes: Uint8Array): Block {
  const block = decode(bytes);
  const header = messageOf(block, 1);
  return {
    number: varintOf(header, 1),
    previousHash: bytesOf(header, 2),
    dataHash: bytesOf(header, 3),
    data: repeatedBytes(messageOf(block, 2), 1),
    metadata: repeatedBytes(messageOf(block, 3), 1),
  };
}

/** protoutil.ComputeBlockDataHash: SHA-256 of the data entries concatenated. */
export const blockDataHash = (block: Block): Uint8Array => sha256(concatBytes(block.data));

/**
 * Why the entries do not frame unambiguously, or null. The data hash joins them without lengths,
 * so Fabric (VerifyTransactionsAreWellFormed) requires each to be exactly the marshalled envelope
 * { payload, signature } with both present; the same is required here.
 */
export function dataFramingProblem(block: Block): string | null {
  for (const [i, entry] of block.data.entries()) {
    const envelope = decode(entry);
    const payload = bytesOf(envelope, 1);
    const signature = bytesOf(envelope, 2);
    if (payload.length === 0 || signature.length === 0) return `entry ${i} lacks a payload or signature`;
    const again = encodeBytesFields([
      [1, payload],
      [2, signature],
    ]);
    if (again.length !== entry.length || again.some((b, j) => b !== entry[j]))
      return `entry ${i} is not exactly a marshalled envelope`;
  }
  return null;
}

export function decodeIdentity(raw: Uint8Array): Identity {
  const id = decode(raw);
  return { mspId: stringOf(id, 1), certificate: stringOf(id, 2), raw };
}

/** The SIGNATURES metadata: each signer and the bytes it signed over the block header. */
export function ordererSignatures(block: Block, headerBytes: Uint8Array): OrdererSignature[] {
  const metadata = decode(block.metadata[SIGNATURES] ?? new Uint8Array(0));
  const value = bytesOf(metadata, 1);
  return repeatedBytes(metadata, 2).map((entry) => {
    const sig = decode(entry);
    const signatureHeader = bytesOf(sig, 1);
    return {
      signed: concatBytes([value, signatureHeader, headerBytes]),
      signature: bytesOf(sig, 2),
      signer: decodeIdentity(bytesOf(decode(signatureHeader), 1)),
    };
  });
}

/** The committing peer's validation code of each transaction (TRANSACTIONS_FILTER). */
export const validationCode = (block: Block, txIndex: number): number | undefined =>
  block.metadata[TRANSACTIONS_FILTER]?.[txIndex];

function timestampOf(fields: Fields): Date {
  return new Date(Number(varintOf(fields, 1)) * 1000 + Math.floor(Number(varintOf(fields, 2)) / 1e6));
}

/** An endorser transaction's envelope (one chaincode action, as the gateway submits). */
export function decodeEndorserTransaction(entry: Uint8Array): EndorserTransaction {
  const envelope = decode(entry);
  const payloadBytes = bytesOf(envelope, 1);
  const payload = decode(payloadBytes);
  const header = messageOf(payload, 1);
  const channelHeader = messageOf(header, 1);
  const signatureHeader = messageOf(header, 2);
  const type = Number(varintOf(channelHeader, 1));
  const actions = repeatedBytes(decode(bytesOf(payload, 2)), 1);
  if (type === ENDORSER_TRANSACTION && actions.length !== 1)
    throw new Error(`the transaction has ${actions.length} actions, not one`);
  const actionPayload = type === ENDORSER_TRANSACTION ? messageOf(decode(actions[0]), 2) : new Map();
  const endorsed = messageOf(actionPayload, 2);
  const prp = bytesOf(endorsed, 1);
  const chaincodeAction = messageOf(decode(prp), 2);
  const rwset = decode(bytesOf(chaincodeAction, 1));
  return {
    type,
    channel: stringOf(channelHeader, 4),
    txId: stringOf(channelHeader, 5),
    timestamp: timestampOf(messageOf(channelHeader, 3)),
    creator: decodeIdentity(bytesOf(signatureHeader, 1)),
    payload: payloadBytes,
    signature: bytesOf(envelope, 2),
    chaincode: stringOf(messageOf(chaincodeAction, 4), 2),
    proposalResponsePayload: prp,
    endorsements: repeatedBytes(endorsed, 2).map((e) => {
      const endorsement = decode(e);
      return { endorser: decodeIdentity(bytesOf(endorsement, 1)), signature: bytesOf(endorsement, 2) };
    }),
    namespaces: repeatedBytes(rwset, 2).map((ns) => {
      const fields = decode(ns);
      const kv = messageOf(fields, 2);
      return {
        namespace: stringOf(fields, 1),
        reads: repeatedBytes(kv, 1).map((r) => stringOf(decode(r), 1)),
        writes: repeatedBytes(kv, 3).map((w) => {
          const write = decode(w);
          return { key: stringOf(write, 1), isDelete: varintOf(write, 2) !== 0n, value: bytesOf(write, 3) };
        }),
      };
    }),
  };
}

/** A write's value as the UTF-8 text the contract stored (its canonical JSON), or null. */
export function writtenText(value: Uint8Array): string | null {
  try {
    return text.decode(value);
  } catch {
    return null;
  }
}
