// Blocks and the channel configuration, read through the peer's gateway with the ledger query
// system chaincode (qscc): a transaction's block as the peer stores it, and the latest config
// block, from which the channel's trust anchors come (each organisation's MSP root certificates,
// which organisations order). Decoded with the verifier's own protobuf reader.
import { ENGINE_MSP } from '../../chaincode/src/caller.ts';
import { REGISTRY_OWNERS } from '../../chaincode/src/registries.ts';
import { toBase64 } from '../../verifier/encoding.ts';
import { decodeBlock, decodeEndorserTransaction, SIGNATURES } from '../../verifier/fabric-block.ts';
import type { FabricTxRef } from '../../verifier/fabric-receipt.ts';
import {
  FABRIC_TRUST_FORMAT,
  type FabricOrganisation,
  type FabricTrust,
  trustFingerprint,
} from '../../verifier/fabric-trust.ts';
import {
  bytesOf,
  decode,
  type Fields,
  messageOf,
  repeatedBytes,
  stringOf,
  varintOf,
} from '../../verifier/protobuf.ts';
import type { FabricGateway } from './gateway.ts';

/** A transaction's block and where the transaction sits in it. */
export interface LocatedTransaction {
  ref: FabricTxRef;
  /** The block's bytes, base64. */
  block: string;
}

export class FabricBlocks {
  constructor(private readonly gateway: FabricGateway) {}

  private get channel(): string {
    return this.gateway.profile.channel;
  }

  /** Committed transactions never move: the last few located are kept (trails, then receipts, ask again). */
  private readonly located = new Map<string, Promise<LocatedTransaction>>();

  /** The block holding `txId` and the transaction's index in it. */
  locate(txId: string): Promise<LocatedTransaction> {
    let found = this.located.get(txId);
    if (!found) {
      found = this.fetchLocation(txId);
      found.catch(() => this.located.delete(txId));
      if (this.located.size >= 256) this.located.delete(this.located.keys().next().value as string);
      this.located.set(txId, found);
    }
    return found;
  }

  private async fetchLocation(txId: string): Promise<LocatedTransaction> {
    const bytes = await this.gateway.evaluateSystem('qscc', 'GetBlockByTxID', [this.channel, txId]);
    const block = decodeBlock(bytes);
    const txIndex = block.data.findIndex((entry) => decodeEndorserTransaction(entry).txId === txId);
    if (txIndex < 0) throw new Error(`block ${block.number} does not hold transaction ${txId}`);
    return { ref: { txId, blockNumber: Number(block.number), txIndex }, block: toBase64(bytes) };
  }

  async blockByNumber(number: bigint): Promise<Uint8Array> {
    return this.gateway.evaluateSystem('qscc', 'GetBlockByNumber', [this.channel, number.toString()]);
  }

  /** The channel's height (blocks committed on the reader's peer). */
  async height(): Promise<bigint> {
    const info = decode(await this.gateway.evaluateSystem('qscc', 'GetChainInfo', [this.channel]));
    return varintOf(info, 1);
  }

  /** The latest config block: the one the newest block's orderer metadata names. */
  async configBlock(): Promise<Uint8Array> {
    const newest = decodeBlock(await this.blockByNumber((await this.height()) - 1n));
    const ordererMetadata = decode(bytesOf(decode(newest.metadata[SIGNATURES] ?? new Uint8Array()), 1));
    const lastConfig = varintOf(messageOf(ordererMetadata, 1), 1);
    return this.blockByNumber(lastConfig);
  }

  private cachedTrust?: { at: number; trust: Promise<FabricTrust> };

  /** The channel's trust anchors, re-read from the config block at most once a minute. */
  trust(): Promise<FabricTrust> {
    const now = Date.now();
    if (!this.cachedTrust || now - this.cachedTrust.at > 60_000) {
      const trust = this.readTrust();
      trust.catch(() => {
        this.cachedTrust = undefined;
      });
      this.cachedTrust = { at: now, trust };
    }
    return this.cachedTrust.trust;
  }

  /** The channel's trust anchors from its latest configuration, with govflow's contract constants. */
  async readTrust(): Promise<FabricTrust> {
    const chaincode = this.gateway.profile.chaincode;
    const organisations = channelOrganisations(await this.configBlock());
    const body = {
      format: FABRIC_TRUST_FORMAT,
      channel: this.channel,
      chaincode,
      engineMspId: ENGINE_MSP,
      organisations,
      registryOwners: { ...REGISTRY_OWNERS },
    } as const;
    return { ...body, fingerprint: trustFingerprint(body) };
  }
}

/** proto3 map<string, Message> entries: { key = 1, value = 2 }. */
function mapOf(fields: Fields, number: number): Map<string, Fields> {
  return new Map(
    repeatedBytes(fields, number).map((entry) => {
      const e = decode(entry);
      return [stringOf(e, 1), messageOf(e, 2)];
    }),
  );
}

const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${(toBase64(der).match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;

/**
 * Each organisation of a config block (Envelope → Payload.data = ConfigEnvelope → Config →
 * channel_group, with groups Orderer and Application holding one group per organisation whose
 * value MSP is an MSPConfig of type FABRIC holding a FabricMSPConfig).
 */
export function channelOrganisations(configBlock: Uint8Array): FabricOrganisation[] {
  const block = decodeBlock(configBlock);
  const payload = decode(bytesOf(decode(block.data[0]), 1));
  const config = messageOf(decode(bytesOf(payload, 2)), 1);
  const channelGroup = messageOf(config, 2);
  const sections = mapOf(channelGroup, 2);
  const out: FabricOrganisation[] = [];
  for (const [section, orderer] of [
    ['Orderer', true],
    ['Application', false],
  ] as const) {
    const group = sections.get(section);
    if (!group) continue;
    for (const [name, org] of mapOf(group, 2)) {
      const msp = mapOf(org, 3).get('MSP');
      if (!msp) throw new Error(`channel config: organisation ${name} in ${section} has no MSP value`);
      const mspConfig = decode(bytesOf(msp, 2));
      if (varintOf(mspConfig, 1) !== 0n)
        throw new Error(`channel config: organisation ${name}'s MSP is not of type FABRIC`);
      const fabric = decode(bytesOf(mspConfig, 2));
      const mspId = stringOf(fabric, 1);
      if (repeatedBytes(fabric, 3).length > 0)
        throw new Error(
          `channel config: ${mspId} uses intermediate CAs, which receipts do not support (identities must be issued by a root)`,
        );
      const nodeOUs = varintOf(messageOf(fabric, 11), 1) !== 0n;
      // Root certificates are stored as PEM bytes in the MSP config.
      const roots = repeatedBytes(fabric, 2).map((b) => normalisePem(new TextDecoder().decode(b)));
      out.push({ mspId, roots, nodeOUs, orderer });
    }
  }
  return out.sort((a, b) => (a.mspId < b.mspId ? -1 : 1));
}

function normalisePem(text: string): string {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(text);
  if (!m) throw new Error('channel config: a root certificate is not PEM');
  const der = Uint8Array.from(atob(m[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  return pem(der);
}
