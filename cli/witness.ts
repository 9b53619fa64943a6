// `govflow witness --org <MSP id> [--url URL] [--once]`: co-signs the ledger's checkpoints as
// that organisation, each only after checking the ledger's signature and a consistency proof
// from the last checkpoint it co-signed (ledger/witness.ts). Refusals are reported on stderr.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signToken } from '../api/auth.ts';
import type { PublishedKey, SignedCheckpoint, WitnessSignature } from '../ledger/anchors/types.ts';
import { keyFingerprint, ledgerKeyFile, loadPrivateKey, publicKeyBase64 } from '../ledger/keys.ts';
import {
  createWitness,
  loadWitnessState,
  runWitnesses,
  type WitnessSource,
  witnessStateFile,
} from '../ledger/witness.ts';
import { ApiCallError } from './client.ts';
import type { Config } from './config.ts';
import { jwtSecret } from './services.ts';

export const WITNESS_USAGE = `  witness --org <MSP id> [--url URL] [--once] [--interval ms]
                                   co-sign the ledger's checkpoints as that organisation (GOVFLOW_TOKEN: a
                                   department token of it; in dev one is made from the local secret)`;

export async function witnessCommand(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string' },
      url: { type: 'string' },
      once: { type: 'boolean' },
      interval: { type: 'string' },
    },
  });
  const mspId = values.org;
  if (!mspId) throw new ApiCallError(`witness needs --org <MSP id>\n\n${WITNESS_USAGE}`);
  const base = values.url ?? config.apiUrl;
  const token =
    process.env.GOVFLOW_TOKEN ||
    (await signToken(jwtSecret(config), { role: 'department', sub: `witness-${mspId}`, groups: [mspId] }));
  const source = httpSource(base, token);
  const ledgerKey = await pinnedLedgerKey(mspId, base);
  const witness = createWitness({ mspId, source, ledgerKey });
  const say = (line: string) => console.log(`govflow witness ${mspId}: ${line}`);
  const refuse = (reason: string) =>
    console.error(`govflow witness ${mspId}: REFUSED TO CO-SIGN — ${reason}`);

  if (values.once) {
    const outcome = await witness.once();
    if (outcome.outcome === 'refused') {
      refuse(outcome.reason);
      return 2;
    }
    say(
      `${outcome.outcome === 'signed' ? 'co-signed' : 'already co-signed'} checkpoint of size ${outcome.checkpoint.size}`,
    );
    return 0;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  let lastProblem = '';
  say(`watching ${base} (state ${witnessStateFile(mspId)})`);
  await runWitnesses([witness], {
    intervalMs: Number(values.interval ?? 1000),
    signal: controller.signal,
    onEvent: (_, event) => {
      const problem =
        event.outcome === 'refused'
          ? event.reason
          : event.outcome === 'error'
            ? `error: ${event.error.message}`
            : '';
      if (problem && problem !== lastProblem) (event.outcome === 'refused' ? refuse : say)(problem);
      if (event.outcome === 'signed') say(`co-signed checkpoint of size ${event.checkpoint.size}`);
      lastProblem = problem;
    },
  });
  return 0;
}

/** The ledger key this witness checks against: pinned in its state, else the local key file, else first sight. */
async function pinnedLedgerKey(mspId: string, base: string): Promise<PublishedKey> {
  const state = loadWitnessState(witnessStateFile(mspId));
  if (state) return state.ledgerKey;
  const file = ledgerKeyFile();
  if (existsSync(file)) {
    const key = loadPrivateKey(file);
    return { publicKey: publicKeyBase64(key), fingerprint: keyFingerprint(key) };
  }
  const doc = (await request(base, 'GET', '/.well-known/govflow-ledger.json')) as { ledger: PublishedKey };
  console.error(
    `govflow witness ${mspId}: pinning ledger key ${doc.ledger.fingerprint} as first seen at ${base}; compare it with the one the operator published`,
  );
  return doc.ledger;
}

function httpSource(base: string, token: string): WitnessSource {
  return {
    latestCheckpoint: async () => (await request(base, 'GET', '/ledger/checkpoint')) as SignedCheckpoint,
    consistency: async (from, to) =>
      ((await request(base, 'GET', `/ledger/consistency?from=${from}&to=${to}`)) as { proof: string[] })
        .proof,
    addWitnessSignature: async (size: number, witness: WitnessSignature) => {
      await request(base, 'POST', `/ledger/checkpoints/${size}/witnesses`, witness, token);
    },
  };
}

async function request(base: string, method: string, path: string, json?: unknown, token?: string) {
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(json ? { 'content-type': 'application/json' } : {}),
      },
      body: json ? JSON.stringify(json) : undefined,
    });
  } catch (err) {
    throw new Error(`cannot reach ${base}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
