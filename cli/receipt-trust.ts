// The trust anchors a Fabric receipt is checked against: `govflow receipt trust` exports them from
// the channel's latest config block through the configured organisation's own peer (or takes a
// server's /.well-known/govflow-ledger.json), and `receipt verify` pins them by file or fingerprint.
import { readFileSync, writeFileSync } from 'node:fs';
import type { PinnedFabricTrust } from '../verifier/fabric-receipt.ts';
import { FABRIC_TRUST_FORMAT, type FabricTrust } from '../verifier/fabric-trust.ts';
import { ApiCallError } from './client.ts';
import type { Config } from './config.ts';
import { ledgerFor } from './services.ts';

const HEX64 = /^[0-9a-f]{64}$/;

/** `receipt trust [-o file] [--from URL]`: the channel's anchors, with their fingerprint on stderr. */
export async function exportTrust(config: Config, output?: string, from?: string): Promise<number> {
  let trust: FabricTrust;
  if (from) {
    const url = new URL('/.well-known/govflow-ledger.json', from);
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) }).catch((err: Error) => {
      throw new ApiCallError(`cannot reach ${from}: ${err.cause ?? err.message}`);
    });
    const doc = (await response.json().catch(() => null)) as FabricTrust | null;
    if (!response.ok || doc?.format !== FABRIC_TRUST_FORMAT)
      throw new ApiCallError(
        `${url} does not publish a Fabric channel's trust anchors (${FABRIC_TRUST_FORMAT})`,
      );
    trust = doc;
  } else {
    if (config.ledger !== 'fabric')
      throw new ApiCallError('receipt trust reads a Fabric channel: set LEDGER=fabric (or pass --from URL)');
    const ledger = await ledgerFor(config);
    try {
      if (!ledger.fabricBlocks) throw new ApiCallError('the configured ledger has no Fabric blocks');
      trust = await ledger.fabricBlocks.readTrust();
    } finally {
      await ledger.close();
    }
  }
  const text = `${JSON.stringify(trust, null, 2)}\n`;
  if (output) writeFileSync(output, text);
  else process.stdout.write(text);
  console.error(
    `channel ${trust.channel}: ${trust.organisations.map((o) => o.mspId).join(', ')}; fingerprint ${trust.fingerprint}${output ? ` (written to ${output})` : ''}`,
  );
  return 0;
}

/** What `receipt verify` pins for a Fabric receipt: --trust / --keys file, or --fingerprint. */
export function pinnedFabricTrust(
  file: string | undefined,
  fingerprint: string | undefined,
): PinnedFabricTrust {
  if (fingerprint !== undefined) {
    if (!HEX64.test(fingerprint))
      throw new ApiCallError('--fingerprint must be the 64 hex digits `govflow receipt trust` prints');
    return { fingerprint };
  }
  if (!file)
    throw new ApiCallError(
      "a Fabric receipt is checked against the channel's trust anchors: pass --trust trust.json (from `govflow receipt trust`) or --fingerprint <hex>",
    );
  let doc: FabricTrust;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ApiCallError(`cannot read the trust anchors ${file}: ${(err as Error).message}`);
  }
  if (doc?.format !== FABRIC_TRUST_FORMAT || !Array.isArray(doc.organisations))
    throw new ApiCallError(`${file} is not a Fabric trust document (${FABRIC_TRUST_FORMAT})`);
  return doc;
}
