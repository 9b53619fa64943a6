// What a forger of Fabric receipts can do with keys it holds: re-encode a block's transaction
// with @hyperledger/fabric-protos (an encoder independent of the verifier's reader), sign as a
// peer, as the engine's client or as the orderer (their keys are in the network's crypto dir: a
// test standing in for an insider), or as identities of a CA of its own (made with openssl).
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as protos from '@hyperledger/fabric-protos';
import { blockHeaderBytes } from '../../verifier/der.ts';
import type { FabricReceipt } from '../../verifier/fabric-receipt.ts';
import { common, msp, peer } from '../support/fabric-protos.ts';

export interface Signer {
  mspId: string;
  certificate: string;
  key: KeyObject;
}

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** ECDSA P-256 / SHA-256 in DER with low S, as Fabric signs. */
export function signLowS(key: KeyObject, data: Uint8Array): Uint8Array {
  const raw = sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  const r = BigInt(`0x${raw.subarray(0, 32).toString('hex')}`);
  let s = BigInt(`0x${raw.subarray(32).toString('hex')}`);
  if (s > N >> 1n) s = N - s;
  const int = (v: bigint) => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
    return Buffer.concat([Buffer.from([0x02, hex.length / 2]), Buffer.from(hex, 'hex')]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  return Uint8Array.from(Buffer.concat([Buffer.from([0x30, body.length]), body]));
}

const onlyFile = (dir: string) => join(dir, readdirSync(dir)[0]);

function signerFromMsp(mspId: string, mspDir: string): Signer {
  return {
    mspId,
    certificate: readFileSync(onlyFile(join(mspDir, 'signcerts')), 'utf8'),
    key: createPrivateKey(readFileSync(onlyFile(join(mspDir, 'keystore')))),
  };
}

interface NetworkFile {
  orderer: { mspId: string; tlsRootCert: string };
  organisations: Record<string, { tlsRootCert: string; profile: string }>;
}

/** The orderer node's, each peer's and the engine client's signing identities. */
export function networkSigners(dir: string) {
  const network = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8')) as NetworkFile;
  // <node>/tls/ca.crt → <node>/msp
  const nodeMsp = (tlsRootCert: string) => join(dirname(dirname(tlsRootCert)), 'msp');
  const profile = JSON.parse(readFileSync(network.organisations.GovflowMSP.profile, 'utf8'));
  const base = dirname(network.organisations.GovflowMSP.profile);
  return {
    orderer: signerFromMsp(network.orderer.mspId, nodeMsp(network.orderer.tlsRootCert)),
    peer: (mspId: string) => signerFromMsp(mspId, nodeMsp(network.organisations[mspId].tlsRootCert)),
    engine: {
      mspId: 'GovflowMSP',
      certificate: readFileSync(join(base, profile.identity.cert), 'utf8'),
      key: createPrivateKey(readFileSync(onlyFile(join(base, profile.identity.key)))),
    } as Signer,
  };
}

/** An identity of `mspId` from a CA of the forger's own, named like the real CA `lookalike`. */
export function foreignSigner(mspId: string, lookalike: string, ou: string): Signer & { caPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'govflow-forged-ca-'));
  const subject = `/${new X509Certificate(lookalike).subject.split('\n').join('/')}`;
  // PrintableString where possible, as Go writes names: the CA's name then matches byte for byte.
  writeFileSync(join(dir, 'req.cnf'), '[req]\ndistinguished_name=dn\nstring_mask=default\n[dn]\n');
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  run(
    'req',
    '-config',
    'req.cnf',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    subject,
    '-days',
    '30',
    '-out',
    'ca.pem',
  );
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'id.key');
  run(
    'req',
    '-config',
    'req.cnf',
    '-new',
    '-key',
    'id.key',
    '-subj',
    `/C=US/OU=${ou}/CN=forged.${mspId}`,
    '-out',
    'id.csr',
  );
  run(
    'x509',
    '-req',
    '-in',
    'id.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '30',
    '-out',
    'id.pem',
  );
  return {
    mspId,
    certificate: readFileSync(join(dir, 'id.pem'), 'utf8'),
    key: createPrivateKey(readFileSync(join(dir, 'id.key'))),
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
  };
}

export const serialized = (s: Signer) => {
  const id = new msp.SerializedIdentity();
  id.setMspid(s.mspId);
  id.setIdBytes(new TextEncoder().encode(s.certificate));
  return id.serializeBinary();
};

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** A receipt's block, to change and put back. */
export class ForgedBlock {
  readonly block: protos.common.Block;
  constructor(
    private readonly receipt: FabricReceipt,
    readonly number: number,
  ) {
    this.block = common.Block.deserializeBinary(Buffer.from(receipt.blocks[String(number)], 'base64'));
  }

  /** Edits the endorsed action of transaction `txIndex`; the envelope is re-signed by `creator`. */
  editEndorsements(
    txIndex: number,
    creator: Signer,
    edit: (action: protos.peer.ChaincodeEndorsedAction) => void,
  ): void {
    const data = this.block.getData()!;
    const entries = data.getDataList_asU8();
    const envelope = common.Envelope.deserializeBinary(entries[txIndex]);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
    const action = tx.getActionsList()[0];
    const cap = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const endorsed = cap.getAction()!;
    edit(endorsed);
    cap.setAction(endorsed);
    action.setPayload(cap.serializeBinary());
    payload.setData(tx.serializeBinary());
    envelope.setPayload(payload.serializeBinary());
    envelope.setSignature(signLowS(creator.key, envelope.getPayload_asU8()));
    entries[txIndex] = envelope.serializeBinary();
    data.setDataList(entries);
  }

  /** A new data hash in the header, signed again by `orderer` over Fabric's signed bytes. */
  reseal(orderer: Signer): void {
    const header = this.block.getHeader()!;
    const joined = Buffer.concat(this.block.getData()!.getDataList_asU8());
    header.setDataHash(createHash('sha256').update(joined).digest());
    const meta = this.block.getMetadata()!;
    const list = meta.getMetadataList_asU8();
    const signatures = common.Metadata.deserializeBinary(list[common.BlockMetadataIndex.SIGNATURES]);
    const sigHeader = new common.SignatureHeader();
    sigHeader.setCreator(serialized(orderer));
    sigHeader.setNonce(Uint8Array.of(1, 2, 3));
    const headerBytes = sigHeader.serializeBinary();
    const sig = new common.MetadataSignature();
    sig.setSignatureHeader(headerBytes);
    const signed = Buffer.concat([
      signatures.getValue_asU8(),
      headerBytes,
      blockHeaderBytes(BigInt(header.getNumber()), header.getPreviousHash_asU8(), header.getDataHash_asU8()),
    ]);
    sig.setSignature(signLowS(orderer.key, signed));
    signatures.setSignaturesList([sig]);
    list[common.BlockMetadataIndex.SIGNATURES] = signatures.serializeBinary();
    meta.setMetadataList(list);
  }

  /** Writes the block back into the receipt. */
  save(): void {
    this.receipt.blocks[String(this.number)] = Buffer.from(this.block.serializeBinary()).toString('base64');
  }
}

/** The endorsement `e` signed again by `signer` (its identity replacing the endorser's). */
export function endorseAs(
  action: protos.peer.ChaincodeEndorsedAction,
  signer: Signer,
): protos.peer.Endorsement {
  const endorser = serialized(signer);
  const e = new peer.Endorsement();
  e.setEndorser(endorser);
  e.setSignature(signLowS(signer.key, Buffer.concat([action.getProposalResponsePayload_asU8(), endorser])));
  return e;
}
