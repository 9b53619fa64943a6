// `govflow receipt get|verify`: fetch an application's receipt, and check one offline against
// pinned keys (no server, no data directory), optionally also against the ledger as it is now.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  keyDir,
  keyFingerprint,
  ledgerKeyFile,
  loadPrivateKey,
  loadPublicKey,
  publicKeyBase64,
  publicKeyDir,
} from '../ledger/keys.ts';
import { type FabricReceipt, isFabricReceipt, verifyFabricReceipt } from '../verifier/fabric-receipt.ts';
import { verifyReceipt } from '../verifier/receipt.ts';
import type {
  CurrentInclusion,
  CurrentLedger,
  PinnedKeys,
  Receipt,
  ReceiptReport,
  SignedCheckpoint,
} from '../verifier/types.ts';
import { ApiCallError, callApi } from './client.ts';
import type { Config } from './config.ts';
import { exportTrust, pinnedFabricTrust } from './receipt-trust.ts';

export const RECEIPT_USAGE = `  receipt get <applicationId> [-o file]   the application's receipt (GOVFLOW_TOKEN: its applicant, a clerk, an auditor)
  receipt verify <receipt.json> [--keys pinned.json] [--against URL] [--min-witnesses N] [--json]
                                   check a receipt offline with pinned keys (default: the local key dir);
                                   --against also checks it against the ledger at URL now
  receipt verify <receipt.json> --trust trust.json | --fingerprint <hex> [--json]
                                   a Fabric ledger's receipt, against the channel's pinned trust anchors
  receipt trust [-o trust.json] [--from URL]
                                   the channel's trust anchors from its config block (LEDGER=fabric),
                                   or as a server publishes them; prints their fingerprint`;

export async function receiptCommand(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      keys: { type: 'string' },
      against: { type: 'string' },
      'min-witnesses': { type: 'string' },
      json: { type: 'boolean' },
      trust: { type: 'string' },
      fingerprint: { type: 'string' },
      from: { type: 'string' },
    },
  });
  const [action, target] = positionals;
  if (action === 'get') {
    if (!target) throw new ApiCallError(`receipt get needs an application id\n\n${RECEIPT_USAGE}`);
    const receipt = await callApi(config, 'GET', `/applications/${encodeURIComponent(target)}/receipt`);
    const text = `${JSON.stringify(receipt, null, 2)}\n`;
    if (values.output) {
      writeFileSync(values.output, text);
      console.error(`receipt of ${target} written to ${values.output}`);
    } else process.stdout.write(text);
    return 0;
  }
  if (action === 'trust') return exportTrust(config, values.output, values.from);
  if (action === 'verify') {
    if (!target) throw new ApiCallError(`receipt verify needs a receipt file\n\n${RECEIPT_USAGE}`);
    const read = readJson(target, 'the receipt') as Receipt | FabricReceipt;
    if (isFabricReceipt(read)) {
      if (values.against)
        throw new ApiCallError(
          "--against checks an embedded ledger's checkpoints; a Fabric receipt stands on its orderer-signed blocks",
        );
      const pinned = pinnedFabricTrust(values.trust ?? values.keys, values.fingerprint);
      const report = await verifyFabricReceipt(read, pinned);
      if (values.json) console.log(JSON.stringify(report, null, 2));
      else printReport(report);
      return report.valid ? 0 : 1;
    }
    const receipt = read as Receipt;
    const pinned = values.keys ? pinnedFromFile(values.keys) : pinnedFromKeyDir();
    const minWitnesses = values['min-witnesses'] === undefined ? 1 : Number(values['min-witnesses']);
    if (!Number.isInteger(minWitnesses) || minWitnesses < 0)
      throw new ApiCallError('--min-witnesses must be a non-negative integer');
    const current = values.against ? await currentLedger(values.against, receipt) : undefined;
    const report = await verifyReceipt(receipt, pinned, { current, minWitnesses });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report, values.against);
    return report.valid ? 0 : 1;
  }
  throw new ApiCallError(`receipt needs get, verify or trust\n\n${RECEIPT_USAGE}`);
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ApiCallError(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiCallError(`${what} ${file} is not JSON`);
  }
}

/** A saved copy of /.well-known/govflow-ledger.json. */
function pinnedFromFile(file: string): PinnedKeys {
  const doc = readJson(file, 'the pinned keys') as Partial<PinnedKeys>;
  if (!doc?.ledger?.publicKey || !Array.isArray(doc.organisations))
    throw new ApiCallError(`${file} is not a govflow-ledger-keys document (ledger, organisations)`);
  return { ledger: doc.ledger, organisations: doc.organisations };
}

/** The public halves of the keys in the local key dir (never creating any). */
function pinnedFromKeyDir(): PinnedKeys {
  const published = (file: string) => {
    const key = loadPrivateKey(file);
    return { publicKey: publicKeyBase64(key), fingerprint: keyFingerprint(key) };
  };
  let ledger: PinnedKeys['ledger'];
  try {
    ledger = published(ledgerKeyFile());
  } catch (err) {
    throw new ApiCallError(
      `no pinned keys: ${(err as Error).message}; pass --keys with a saved copy of <server>/.well-known/govflow-ledger.json`,
    );
  }
  // The organisations' public keys (`<MSP>.pub.pem`); a key dir from before they were written
  // down beside the private keys: the private keys' public halves.
  const list = (dir: string, suffix: string) => {
    try {
      return readdirSync(dir).filter(
        (f) => f.endsWith(suffix) && (suffix !== '.pem' || !f.endsWith('.pub.pem')),
      );
    } catch {
      return [];
    }
  };
  const publicDir = join(publicKeyDir(), 'organisations');
  const privateDir = join(keyDir(), 'organisations');
  const publicFiles = list(publicDir, '.pub.pem');
  const organisations =
    publicFiles.length > 0
      ? publicFiles.map((f) => {
          const key = loadPublicKey(join(publicDir, f));
          return {
            mspId: f.slice(0, -'.pub.pem'.length),
            publicKey: publicKeyBase64(key),
            fingerprint: keyFingerprint(key),
          };
        })
      : list(privateDir, '.pem').map((f) => ({ mspId: f.slice(0, -4), ...published(join(privateDir, f)) }));
  return { ledger, organisations };
}

async function getJson(base: string, path: string, allow404 = false): Promise<unknown> {
  let response: Response;
  try {
    // A ledger that never answers must not hang the verifier: 30 s per request.
    response = await fetch(new URL(path, base), { signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new ApiCallError(`cannot reach ${base}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  if (allow404 && response.status === 404) return null;
  const text = await response.text().catch((err: Error) => {
    throw new ApiCallError(`${base}${path}: the answer was cut off (${err.message})`);
  });
  if (!response.ok) throw new ApiCallError(`${base}${path}: ${response.status} ${text.slice(0, 500)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiCallError(`${base}${path}: the answer is not JSON (${text.slice(0, 80)}…)`);
  }
}

/** The current checkpoint, a consistency proof from the receipt's and current inclusion proofs. */
async function currentLedger(base: string, receipt: Receipt): Promise<CurrentLedger> {
  const checkpoint = (await getJson(base, '/ledger/checkpoint')) as SignedCheckpoint;
  const from = receipt.checkpoint?.size;
  const consistency =
    Number.isSafeInteger(from) && from <= checkpoint.size
      ? (
          (await getJson(base, `/ledger/consistency?from=${from}&to=${checkpoint.size}`)) as {
            proof: string[];
          }
        ).proof
      : [];
  const txIds = [
    ...(receipt.records ?? []).map((r) => r?.inclusion?.txId),
    ...(receipt.definition ? [receipt.definition.registration?.txId] : []),
  ].filter((id): id is string => typeof id === 'string');
  const inclusions: Record<string, CurrentInclusion | null> = {};
  await Promise.all(
    txIds.map(async (txId) => {
      inclusions[txId] = (await getJson(
        base,
        `/ledger/inclusion?txId=${encodeURIComponent(txId)}&size=${checkpoint.size}`,
        true,
      )) as CurrentInclusion | null;
    }),
  );
  return { checkpoint, consistency, inclusions };
}

function printReport(report: ReceiptReport, against?: string): void {
  const mark = { valid: 'ok  ', invalid: 'FAIL', 'not checked': '--  ' } as const;
  console.log(`receipt of ${report.applicationId}${against ? ` (also against ${against})` : ' (offline)'}`);
  for (const c of report.checks) console.log(`  ${mark[c.status]} ${c.check.padEnd(28)} ${c.detail}`);
  console.log(report.valid ? 'valid: every check passed' : 'INVALID: see the checks marked FAIL');
}
