// A witness: a department organisation that co-signs the ledger's checkpoints, each only after
// checking the ledger's signature (against a ledger key it pinned) and a consistency proof from
// the last checkpoint it co-signed. A ledger rewritten or truncated behind its back then lacks
// this organisation's signature, which only this organisation's key can make.
// The witness keeps its own state (last co-signed size and root, pinned ledger key) outside the
// ledger's data directory: `<keyDir>/witness/<MSP id>.json`.
import { type KeyObject, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkpointBody, checkpointMessage, witnessMessage } from '../verifier/checks.ts';
import { checkConsistency } from '../verifier/merkle.ts';
import { verifyEd25519 } from '../verifier/signatures.ts';
import type { LedgerAnchors, PublishedKey, SignedCheckpoint, WitnessSignature } from './anchors/types.ts';
import { keyDir, keyFingerprint, loadOrCreatePrivateKey, organisationKeyFile } from './keys.ts';

/** What a witness needs from the ledger: the in-process anchors or the API (cli/witness.ts). */
export type WitnessSource = Pick<LedgerAnchors, 'latestCheckpoint' | 'consistency' | 'addWitnessSignature'>;

export interface WitnessState {
  mspId: string;
  /** The ledger key this witness checks checkpoints against. */
  ledgerKey: PublishedKey;
  /** The last checkpoint it co-signed. */
  last?: { size: number; root: string; signedAt: string };
}

export type WitnessOutcome =
  | { outcome: 'signed'; checkpoint: SignedCheckpoint }
  | { outcome: 'unchanged'; checkpoint: SignedCheckpoint }
  | { outcome: 'refused'; reason: string; checkpoint?: SignedCheckpoint };

export const witnessStateFile = (mspId: string, dir = keyDir()) => join(dir, 'witness', `${mspId}.json`);

export function loadWitnessState(file: string): WitnessState | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WitnessState) : null;
}

function saveWitnessState(file: string, state: WitnessState): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export interface Witness {
  readonly mspId: string;
  /** Checks the newest checkpoint and co-signs it if it is consistent with the last one signed. */
  once(): Promise<WitnessOutcome>;
}

/**
 * A witness for `mspId`, signing with its key from `<keyDir>/organisations/<MSP id>.pem` and
 * checking checkpoints against `ledgerKey` (or the key its state file pinned earlier; a state
 * file naming another ledger key is a refusal, never silently replaced).
 */
export function createWitness(opts: {
  mspId: string;
  source: WitnessSource;
  ledgerKey: PublishedKey;
  keyDir?: string;
  stateFile?: string;
  key?: KeyObject;
}): Witness {
  const dir = opts.keyDir ?? keyDir();
  const key = opts.key ?? loadOrCreatePrivateKey(organisationKeyFile(opts.mspId, dir));
  const stateFile = opts.stateFile ?? witnessStateFile(opts.mspId, dir);
  const keyFp = keyFingerprint(key);
  return {
    mspId: opts.mspId,
    async once() {
      const state = loadWitnessState(stateFile) ?? { mspId: opts.mspId, ledgerKey: opts.ledgerKey };
      if (state.ledgerKey.fingerprint !== opts.ledgerKey.fingerprint)
        return {
          outcome: 'refused',
          reason: `the ledger now presents key ${opts.ledgerKey.fingerprint}, but this witness pinned ${state.ledgerKey.fingerprint} (${stateFile})`,
        };
      const checkpoint = await opts.source.latestCheckpoint();
      const problem = await checkpointProblem(opts.source, state, checkpoint);
      if (problem) return { outcome: 'refused', reason: problem, checkpoint };
      if (state.last?.size === checkpoint.size && checkpoint.witnesses.some((w) => w.mspId === opts.mspId))
        return { outcome: 'unchanged', checkpoint };
      const witness: WitnessSignature = {
        mspId: opts.mspId,
        keyFingerprint: keyFp,
        signature: sign(null, Buffer.from(witnessMessage(checkpoint)), key).toString('base64'),
      };
      await opts.source.addWitnessSignature(checkpoint.size, witness);
      const { size, root } = checkpointBody(checkpoint);
      saveWitnessState(stateFile, { ...state, last: { size, root, signedAt: new Date().toISOString() } });
      return { outcome: 'signed', checkpoint };
    },
  };
}

/** Why this checkpoint must not be co-signed, or null. */
async function checkpointProblem(
  source: WitnessSource,
  state: WitnessState,
  checkpoint: SignedCheckpoint,
): Promise<string | null> {
  const name = `checkpoint of size ${checkpoint.size} (root ${String(checkpoint.root).slice(0, 16)}…)`;
  if (checkpoint.ledgerKey !== state.ledgerKey.fingerprint)
    return `${name} names ledger key ${checkpoint.ledgerKey}, not the pinned ${state.ledgerKey.fingerprint}`;
  if (!(await verifyEd25519(state.ledgerKey.publicKey, checkpoint.signature, checkpointMessage(checkpoint))))
    return `${name} is not signed by the pinned ledger key`;
  const last = state.last;
  if (!last) return null;
  if (checkpoint.size < last.size)
    return `the ledger shrank: ${name} after this witness co-signed size ${last.size} — blocks were removed`;
  const proof = checkpoint.size === last.size ? [] : await source.consistency(last.size, checkpoint.size);
  const inconsistent = checkConsistency(last.size, checkpoint.size, last.root, checkpoint.root, proof);
  return inconsistent
    ? `${name} is not consistent with the checkpoint of size ${last.size} this witness co-signed: ${inconsistent} — the ledger was rewritten`
    : null;
}

/**
 * Runs witnesses until `signal` aborts: each polls every `intervalMs`, reporting refusals (and
 * failures to reach the ledger) through `onEvent`. For `govflow dev` and the test harness.
 */
export async function runWitnesses(
  witnesses: Witness[],
  opts: {
    intervalMs?: number;
    signal: AbortSignal;
    onEvent?: (mspId: string, event: WitnessOutcome | { outcome: 'error'; error: Error }) => void;
  },
): Promise<void> {
  const interval = opts.intervalMs ?? 500;
  const loop = async (w: Witness) => {
    while (!opts.signal.aborted) {
      try {
        opts.onEvent?.(w.mspId, await w.once());
      } catch (err) {
        if (!opts.signal.aborted) opts.onEvent?.(w.mspId, { outcome: 'error', error: err as Error });
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          opts.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, interval);
        opts.signal.addEventListener('abort', done, { once: true });
      });
    }
  };
  await Promise.all(witnesses.map(loop));
}

/** In-process witnesses for the given organisations against an embedded ledger's anchors. */
export async function startWitnesses(
  anchors: LedgerAnchors,
  mspIds: string[],
  opts: {
    keyDir?: string;
    /** Where the witnesses keep what they co-signed (default `<keyDir>/witness/`). */
    stateDir?: string;
    intervalMs?: number;
    onEvent?: Parameters<typeof runWitnesses>[1]['onEvent'];
  } = {},
): Promise<{ stop(): Promise<void> }> {
  const { ledger } = await anchors.keys();
  const witnesses = mspIds.map((mspId) =>
    createWitness({
      mspId,
      source: anchors,
      ledgerKey: ledger,
      keyDir: opts.keyDir,
      stateFile: opts.stateDir ? witnessStateFile(mspId, opts.stateDir) : undefined,
    }),
  );
  const controller = new AbortController();
  const running = runWitnesses(witnesses, { ...opts, signal: controller.signal });
  return {
    async stop() {
      controller.abort();
      await running;
    },
  };
}
