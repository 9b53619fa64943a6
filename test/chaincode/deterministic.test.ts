// Determinism the endorsement model depends on: canonical JSON, and FEEL time = transaction time.
import '../../ledger/embedded/contract-logging.ts';
import { DateTime, Settings } from 'luxon';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import { GovflowContract } from '../../chaincode/src/index.ts';
import { EmbeddedClientIdentity, EmbeddedStub } from '../../ledger/embedded/stub.ts';
import { WorldState } from '../../ledger/embedded/world-state.ts';
import { ENGINE } from '../ledger/helpers.ts';

describe('canonicalJson', () => {
  it('sorts keys recursively, drops undefined members and is stable', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'é' }, u: undefined };
    expect(canonicalJson(a)).toBe('{"a":{"c":"é","d":[3,{"x":null,"z":1}]},"b":1}');
    expect(canonicalJson({ a: { c: 'é', d: [3, { x: null, z: 1 }] }, b: 1 })).toBe(canonicalJson(a));
    expect(canonicalJson([undefined, Number.NaN, new Date(0)])).toBe(
      '[null,null,"1970-01-01T00:00:00.000Z"]',
    );
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });

  it('hashes strings as UTF-8', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(sha256Hex('abc'));
  });
});

/** Runs EvaluateRule directly on a stub whose transaction time we choose. */
async function evaluateAt(millis: number, approveWhen: string) {
  const contract = new GovflowContract();
  const input = {
    applicationId: 'app-1',
    elementId: 'review',
    elementInstanceId: 'review#1',
    definitionKey: 'permit',
    definitionVersion: 1,
    variables: {},
  };
  const definition = {
    key: 'permit',
    version: 1,
    hash: sha256Hex('permit xml'),
    deployer: 'dana',
    modelHash: sha256Hex('permit model'),
    rules: { review: { id: 'deadline', facts: [], approveWhen } },
  };
  const stub = new EmbeddedStub(new WorldState(), {
    fn: 'EvaluateRule',
    args: [JSON.stringify(input)],
    creator: ENGINE,
    nonce: new Uint8Array(24),
    timestampMillis: millis,
  });
  const ctx = contract.createContext() as unknown as Record<string, (v: unknown) => void>;
  ctx.setChaincodeStub(stub);
  ctx.setClientIdentity(new EmbeddedClientIdentity(ENGINE));
  // Registered in the same transaction (its reads see its own writes): the rule comes from there.
  await contract.RegisterDefinition(ctx as never, JSON.stringify(definition));
  return JSON.parse(await contract.EvaluateRule(ctx as never, JSON.stringify(input)));
}

describe('FEEL time in rules', () => {
  it('now() and today() are the transaction time, in UTC, whatever the wall clock says', async () => {
    const txTime = Date.UTC(2030, 0, 2, 23, 30);
    const rule = 'now() = date and time("2030-01-02T23:30:00Z") and today() = date("2030-01-02")';
    const first = await evaluateAt(txTime, rule);
    const again = await evaluateAt(txTime, rule);
    expect(first.evaluation.decision).toBe('approve');
    expect(again).toEqual(first); // same tx (same nonce and time): byte-identical result
    expect(first.record.timestamp).toBe('2030-01-02T23:30:00.000Z');
    expect((await evaluateAt(Date.UTC(2030, 0, 3), rule)).evaluation.decision).toBe('manual');
  });

  it('puts luxon back as it was after evaluating', async () => {
    const before = Settings.now;
    const zone = Settings.defaultZone;
    await evaluateAt(Date.UTC(2001, 0, 1), 'now() < date and time("2002-01-01T00:00:00Z")');
    expect(Settings.now).toBe(before);
    expect(Settings.defaultZone).toBe(zone);
    expect(Math.abs(DateTime.now().toMillis() - Date.now())).toBeLessThan(5_000);
  });
});
