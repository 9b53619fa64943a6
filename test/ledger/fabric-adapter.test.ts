// The Fabric ledger adapter's own logic, without a network: reading the connection profile, and
// how failures reported by @hyperledger/fabric-gateway (its real error classes) are treated.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus, Metadata, type ServiceError } from '@grpc/grpc-js';
import { CommitError, EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { describe, expect, it } from 'vitest';
import { ContractError } from '../../ledger/errors.ts';
import { readConnectionProfile } from '../../ledger/fabric/connection.ts';
import { classify, withRetries } from '../../ledger/fabric/failures.ts';

function serviceError(code: number, details: string): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}

function endorseError(code: number, message: string, peerMessages: string[]): EndorseError {
  return new EndorseError({
    code,
    message,
    transactionId: 'tx-endorse',
    cause: serviceError(code, message),
    details: peerMessages.map((m) => ({
      address: 'peer0.landregistry:7051',
      mspId: 'LandRegistryMSP',
      message: m,
    })),
  });
}

const conflict = () =>
  new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 'tx-commit', message: 'MVCC' });

describe('failures', () => {
  it('retries read conflicts and peers that are briefly away; surfaces chaincode errors as contract errors', () => {
    expect(classify(conflict())).toBe('retry');
    expect(
      classify(new CommitError({ code: StatusCode.ENDORSEMENT_POLICY_FAILURE, transactionId: 't' })),
    ).toBe('fail');
    const unavailable = new GatewayError({
      code: GrpcStatus.UNAVAILABLE,
      details: [],
      cause: serviceError(GrpcStatus.UNAVAILABLE, 'connection refused'),
    });
    expect(classify(unavailable)).toBe('retry');
    const refused = endorseError(GrpcStatus.ABORTED, 'failed to endorse transaction', [
      'chaincode response 500, organisation TaxBureauMSP may not write registry land-title',
    ]);
    expect(classify(refused)).toBe('contract');
    expect(classify(endorseError(GrpcStatus.ABORTED, 'ProposalResponsePayloads do not match', []))).toBe(
      'retry',
    );
    const notYetShared = endorseError(GrpcStatus.ABORTED, 'failed to endorse transaction', [
      'chaincode response 500, the details of land-title/P-1: private data matching public hash version is not available [govflow:DETAILS_UNAVAILABLE]',
    ]);
    expect(classify(notYetShared)).toBe('retry');
    expect(classify(new Error('something else'))).toBe('fail');
  });

  it('resubmits until the conflict clears, and gives up after its attempts naming the transaction', async () => {
    let calls = 0;
    const result = await withRetries('RecordStep', { attempts: 5, backoffMs: 1 }, async () => {
      calls++;
      if (calls < 3) throw conflict();
      return 'ok';
    });
    expect([result, calls]).toEqual(['ok', 3]);

    await expect(
      withRetries('RecordStep', { attempts: 2, backoffMs: 1 }, async () => {
        throw conflict();
      }),
    ).rejects.toThrow(/RecordStep failed \(transaction tx-commit\) after 2 attempt\(s\)/);
  });

  it("passes the contract's own message on, once, as a ContractError", async () => {
    let calls = 0;
    const failing = withRetries('PutFact', { attempts: 5, backoffMs: 1 }, async () => {
      calls++;
      throw endorseError(GrpcStatus.ABORTED, 'failed to endorse transaction', [
        'chaincode response 500, organisation TaxBureauMSP may not write registry land-title',
      ]);
    });
    await expect(failing).rejects.toBeInstanceOf(ContractError);
    await expect(failing).rejects.toThrow('organisation TaxBureauMSP may not write registry land-title');
    expect(calls).toBe(1);
  });
});

describe('connection profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'govflow-fabric-profile-'));
  const write = (profile: unknown) => {
    const file = join(dir, `profile-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };
  const valid = {
    channel: 'govflow',
    chaincode: 'govflow',
    mspId: 'LandRegistryMSP',
    peer: { endpoint: '127.0.0.1:7051', tlsRootCert: 'tls/landregistry-ca.pem' },
    identity: { cert: 'users/clerk/cert.pem', key: 'users/clerk/keystore' },
  };

  it('resolves file paths against the profile', () => {
    const profile = readConnectionProfile(write(valid));
    expect(profile.mspId).toBe('LandRegistryMSP');
    expect(profile.peer.tlsRootCert).toBe(join(dir, 'tls/landregistry-ca.pem'));
    expect(profile.identity.key).toBe(join(dir, 'users/clerk/keystore'));
  });

  it('names the field that is wrong, and a missing file', () => {
    expect(() => readConnectionProfile(write({ ...valid, channel: '' }))).toThrow(/field channel:/);
    expect(() => readConnectionProfile(write({ ...valid, mspId: 'not an msp' }))).toThrow(
      /field mspId: an MSP id/,
    );
    const { identity: _identity, ...noIdentity } = valid;
    expect(() => readConnectionProfile(write(noIdentity))).toThrow(/field identity:/);
    expect(() => readConnectionProfile(write({ ...valid, peer: { endpoint: '127.0.0.1:7051' } }))).toThrow(
      /field peer\.tlsRootCert:/,
    );
    expect(() => readConnectionProfile(join(dir, 'absent.json'))).toThrow(
      /cannot read the Fabric connection profile/,
    );
  });

  it('names one organisation: a profile with several, or of another organisation, is refused', () => {
    const several = {
      channel: 'govflow',
      chaincode: 'govflow',
      peers: { LandRegistryMSP: valid.peer },
      identities: { GovflowMSP: { ...valid.identity, peer: 'LandRegistryMSP' } },
    };
    expect(() =>
      readConnectionProfile(
        write({ ...several, mspId: 'GovflowMSP', peer: valid.peer, identity: valid.identity }),
      ),
    ).toThrow(/field peers, identities: Unrecognized keys/);
    expect(() => readConnectionProfile(write(valid), 'GovflowMSP')).toThrow(
      /field mspId: it is LandRegistryMSP's profile, but this process acts for GovflowMSP/,
    );
  });
});
