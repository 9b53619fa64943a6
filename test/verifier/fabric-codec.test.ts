// The verifier's own readers and encoders for Fabric, without a network: protobuf read against
// @hyperledger/fabric-protos' encoder, DER certificates against openssl and node:crypto,
// ECDSA signatures in both S forms, and the block header's DER encoding.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockHeaderBytes, parseCertificate, pemToDer } from '../../verifier/der.ts';
import { derToP1363, verifyEcdsa } from '../../verifier/ecdsa.ts';
import { decodeBlock } from '../../verifier/fabric-block.ts';
import { bytesOf, decode, encodeBytesFields } from '../../verifier/protobuf.ts';
import { common } from '../support/fabric-protos.ts';

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** DER SEQUENCE { r, s } of two non-negative integers. */
function derSignature(r: bigint, s: bigint): Uint8Array {
  const int = (v: bigint) => {
    let h = v.toString(16);
    if (h.length % 2) h = `0${h}`;
    if (Number.parseInt(h.slice(0, 2), 16) & 0x80) h = `00${h}`;
    return Buffer.concat([Buffer.from([2, h.length / 2]), Buffer.from(h, 'hex')]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  return Uint8Array.from(Buffer.concat([Buffer.from([0x30, body.length]), body]));
}

describe('ECDSA P-256 signatures', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const message = new TextEncoder().encode('block header bytes');
  const raw = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const r = BigInt(`0x${hex(raw.subarray(0, 32))}`);
  const s = BigInt(`0x${hex(raw.subarray(32))}`);
  const low = s > N >> 1n ? N - s : s;

  it('accept the low-S form and refuse the high-S form of the same signature, as Fabric does', async () => {
    expect(await verifyEcdsa(spki, derSignature(r, low), message)).toBe(true);
    expect(await verifyEcdsa(spki, derSignature(r, N - low), message)).toBe(false);
    // Certificates are not held to low S (Go's x509 does not require it).
    expect(await verifyEcdsa(spki, derSignature(r, N - low), message, false)).toBe(true);
  });

  it('convert DER to r || s and refuse malformed or out-of-range values', () => {
    expect(hex(derToP1363(derSignature(r, low), true)!)).toBe(
      r.toString(16).padStart(64, '0') + low.toString(16).padStart(64, '0'),
    );
    expect(derToP1363(derSignature(0n, low), true)).toBeNull();
    expect(derToP1363(derSignature(r, N), false)).toBeNull();
    expect(derToP1363(Uint8Array.of(0x30, 0x02, 0x02, 0x00), true)).toBeNull();
    const trailing = Uint8Array.from([...derSignature(r, low), 0]);
    expect(derToP1363(trailing, true)).toBeNull();
  });

  it('refuse a signature over other bytes', async () => {
    expect(await verifyEcdsa(spki, derSignature(r, low), new TextEncoder().encode('other'))).toBe(false);
  });
});

describe('X.509 certificates', () => {
  it('read the issuer, subject, OUs, validity and key of an openssl certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'govflow-der-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'k.pem');
    run(
      'req',
      '-x509',
      '-new',
      '-key',
      'k.pem',
      '-subj',
      '/C=US/OU=peer/OU=govflow/CN=peer0',
      '-days',
      '3',
      '-out',
      'c.pem',
    );
    const pem = readFileSync(join(dir, 'c.pem'), 'utf8');
    const cert = parseCertificate(pemToDer(pem));
    const node = new X509Certificate(pem);
    expect(cert.organizationalUnits).toEqual(['peer', 'govflow']);
    expect(cert.notBefore.toISOString()).toBe(new Date(node.validFrom).toISOString());
    expect(cert.notAfter.toISOString()).toBe(new Date(node.validTo).toISOString());
    expect(hex(cert.spki)).toBe(hex(node.publicKey.export({ format: 'der', type: 'spki' })));
    expect(hex(cert.issuer)).toBe(hex(cert.subject)); // self-signed
    expect(cert.signatureAlgorithmIsEcdsaSha256).toBe(true);
    expect(await verifyEcdsa(cert.spki, cert.signature, cert.tbs, false)).toBe(true);
    expect(() => parseCertificate(pemToDer(pem).subarray(0, 100))).toThrow();
    expect(() => pemToDer('not pem')).toThrow(/not a PEM certificate/);
  });
});

describe('Fabric messages', () => {
  it('read a block as fabric-protos writes it', () => {
    const block = new common.Block();
    const header = new common.BlockHeader();
    header.setNumber(300);
    header.setPreviousHash(Uint8Array.of(1, 2));
    header.setDataHash(Uint8Array.of(3));
    block.setHeader(header);
    const data = new common.BlockData();
    data.setDataList([Uint8Array.of(9), Uint8Array.of(8, 7)]);
    block.setData(data);
    const meta = new common.BlockMetadata();
    meta.setMetadataList([Uint8Array.of(), Uint8Array.of(), Uint8Array.of(0, 11)]);
    block.setMetadata(meta);
    const decoded = decodeBlock(block.serializeBinary());
    expect(decoded.number).toBe(300n);
    expect(decoded.data.map(hex)).toEqual(['09', '0807']);
    expect(hex(decoded.metadata[2])).toBe('000b');
  });

  it('encode an envelope exactly as fabric-protos does, and refuse truncated messages', () => {
    const env = new common.Envelope();
    env.setPayload(new Uint8Array(300).fill(5));
    env.setSignature(Uint8Array.of(1, 2, 3));
    const bytes = env.serializeBinary();
    expect(
      hex(
        encodeBytesFields([
          [1, env.getPayload_asU8()],
          [2, env.getSignature_asU8()],
        ]),
      ),
    ).toBe(hex(bytes));
    expect(hex(bytesOf(decode(bytes), 2))).toBe('010203');
    expect(() => decode(bytes.subarray(0, 10))).toThrow(/runs past the end/);
  });

  it("encode the block header as Go's asn1 does (minimal INTEGER, leading zero for a set top bit)", () => {
    expect(hex(blockHeaderBytes(0n, Uint8Array.of(), Uint8Array.of(0xaa)))).toBe('3008020100040004' + '01aa');
    expect(hex(blockHeaderBytes(128n, Uint8Array.of(1), Uint8Array.of()))).toBe(
      '300902020080040101' + '0400',
    );
    const long = blockHeaderBytes(1n, new Uint8Array(32), new Uint8Array(100));
    expect(hex(long.subarray(0, 3))).toBe('30818b'); // 139 content bytes: long-form length
  });
});
