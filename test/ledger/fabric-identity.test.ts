// A FabricGateway holds one organisation's identity (its connection profile names one): asked to
// submit or evaluate as another organisation it refuses before it reads a file or dials a peer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ContractError } from '../../ledger/errors.ts';
import { FabricGateway, FabricLedger, readConnectionProfile } from '../../ledger/fabric/index.ts';
import { unique } from '../support/ledgers.ts';

const dir = mkdtempSync(join(tmpdir(), 'govflow-fabric-identity-'));
let peer: Server;
let connections = 0;
let endpoint = '';

beforeAll(async () => {
  // A stand-in for the peer's port: it only counts who dials it.
  peer = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  endpoint = `127.0.0.1:${(peer.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => peer.close(() => resolve())));

function profile(files: { cert: string; key: string; tlsRootCert: string }) {
  const file = join(dir, `profile-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      channel: 'govflow',
      chaincode: 'govflow',
      mspId: 'GovflowMSP',
      peer: { endpoint, tlsRootCert: files.tlsRootCert },
      identity: { cert: files.cert, key: files.key },
    }),
  );
  return readConnectionProfile(file);
}

describe("a Fabric gateway acts for its profile's organisation only", () => {
  it('refuses to submit or evaluate as another organisation, before reading a key or dialling', async () => {
    // None of these files exists: reading any of them would fail with ENOENT instead.
    const gateway = new FabricGateway(
      profile({ cert: 'absent/cert.pem', key: 'absent/keystore', tlsRootCert: 'absent/ca.pem' }),
      { retry: { attempts: 1 } },
    );
    const as = { mspId: 'LandRegistryMSP', id: 'land-registry' };
    const submitted = gateway.submit('PutFact', ['land-title', 'P-1', '{}'], as);
    await expect(submitted).rejects.toBeInstanceOf(ContractError);
    await expect(submitted).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(submitted).rejects.toThrow(
      "PutFact: this process holds only GovflowMSP's identity; it cannot submit as LandRegistryMSP",
    );
    await expect(gateway.evaluate('GetFactDetails', ['land-title', 'P-1'], as)).rejects.toThrow(
      /this process holds only GovflowMSP's identity; it cannot submit as LandRegistryMSP/,
    );
    expect(connections).toBe(0);
    await gateway.close();
  });

  it('as its own organisation it does read its identity and dial its peer', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        '/CN=govflow-test',
        '-days',
        '1',
      ],
      { stdio: 'ignore' },
    );
    const gateway = new FabricGateway(profile({ cert, key, tlsRootCert: cert }), {
      retry: { attempts: 1 },
      timeoutMs: 2000,
    });
    // The stand-in speaks no TLS: the call fails, but only after dialling it.
    await expect(gateway.evaluate('GetFact', ['land-title', 'P-1'])).rejects.toThrow();
    expect(connections).toBeGreaterThan(0);
    await gateway.close();
  });
});

const network = inject('fabricNetworkDir');
describe.skipIf(!network)(
  `on the run's Fabric network${network ? '' : ` (skipped: ${inject('fabricUnavailable')})`}`,
  () => {
    it("the land registry's connection writes as itself and cannot write as the tax bureau", async () => {
      const land = FabricLedger.open(join(network as string, 'profiles', 'LandRegistryMSP.json'), {
        mspId: 'LandRegistryMSP',
      });
      try {
        const key = unique('P-identity');
        await expect(
          land.putFact('tax-clearance', key, { cleared: true }, { mspId: 'TaxBureauMSP', id: 'x' }),
        ).rejects.toThrow(
          /this process holds only LandRegistryMSP's identity; it cannot submit as TaxBureauMSP/,
        );
        await land.putFact('encumbrance', key, { active: false }, { mspId: 'LandRegistryMSP', id: 'clerk' });
        expect(await land.getFact('encumbrance', key)).toEqual({ active: false });
        expect(await land.getFact('tax-clearance', key)).toBeNull();
      } finally {
        await land.close();
      }
    });

    it("a profile of another organisation than the process's is refused at open", () => {
      expect(() =>
        FabricLedger.open(join(network as string, 'profiles', 'TaxBureauMSP.json'), { mspId: 'GovflowMSP' }),
      ).toThrow(/field mspId: it is TaxBureauMSP's profile, but this process acts for GovflowMSP/);
    });
  },
);
