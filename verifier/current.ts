// Checks a receipt against the ledger as it is now: the current checkpoint signed by the pinned
// ledger key, the receipt's checkpoint a prefix of it (consistency proof), and each transaction
// the receipt relies on still at its place in the current tree. A ledger truncated or rewritten
// after the receipt was issued fails here, naming the first record that no longer matches.
import { checkpointMessage, invalid, notChecked, recordInvalid, valid } from './checks.ts';
import { checkConsistency, checkInclusion, transactionLeafHash } from './merkle.ts';
import { inclusionsOf } from './receipt.ts';
import { verifyEd25519 } from './signatures.ts';
import type { Check, CurrentLedger, PinnedKeys, Receipt } from './types.ts';

export async function verifyAgainstCurrent(
  receipt: Receipt,
  pinned: PinnedKeys,
  current: CurrentLedger,
): Promise<Check[]> {
  const now = current.checkpoint;
  const then = receipt.checkpoint;
  const checks: Check[] = [];

  if (now?.ledgerKey !== pinned.ledger.fingerprint)
    checks.push(
      invalid(
        'current-checkpoint-signature',
        `the current checkpoint names ledger key ${now?.ledgerKey}, not the pinned one`,
      ),
    );
  else if (!(await verifyEd25519(pinned.ledger.publicKey, now.signature, checkpointMessage(now))))
    checks.push(
      invalid(
        'current-checkpoint-signature',
        `the current checkpoint (size ${now.size}) is not signed by the pinned ledger key`,
      ),
    );
  else
    checks.push(
      valid(
        'current-checkpoint-signature',
        `current checkpoint of size ${now.size} signed by the ledger key`,
      ),
    );

  const problem =
    now?.size < then.size
      ? `the ledger was truncated: it now has ${now.size} transactions, the receipt's checkpoint had ${then.size}`
      : checkConsistency(then.size, now?.size, then.root, now?.root, current.consistency ?? []);
  checks.push(
    problem
      ? invalid(
          'consistency',
          `the receipt's checkpoint (size ${then.size}) is not a prefix of the current ledger: ${problem}`,
        )
      : valid(
          'consistency',
          `the receipt's checkpoint (size ${then.size}) is a prefix of the current one (size ${now.size})`,
        ),
  );

  checks.push(currentInclusion(receipt, current));
  return checks;
}

/** Each of the receipt's transactions, as the receipt has it, proven at its leaf of the current tree. */
function currentInclusion(receipt: Receipt, current: CurrentLedger): Check {
  const name = 'current-inclusion';
  if (!current.inclusions) return notChecked(name, 'no current inclusion proofs were supplied');
  const now = current.checkpoint;
  for (const [index, inc] of inclusionsOf(receipt).entries()) {
    const fresh = current.inclusions[inc.txId];
    const problem = !fresh
      ? 'is no longer in the ledger'
      : fresh.treeSize !== now.size
        ? `has a current proof for a tree of ${fresh.treeSize}, not ${now.size}`
        : fresh.leafIndex !== inc.leafIndex
          ? `moved from leaf ${inc.leafIndex} to ${fresh.leafIndex}`
          : checkInclusion(
              inc.leafIndex,
              now.size,
              transactionLeafHash(inc.blockNumber, inc.txIndex, inc.tx),
              fresh.proof,
              now.root,
            ) && 'no longer matches the current tree';
    if (problem) {
      const record = receipt.records[index]?.record;
      if (record) return recordInvalid(name, record, `: its transaction ${problem}`);
      return invalid(name, `definition registration tx ${inc.txId} ${problem}`, { txId: inc.txId });
    }
  }
  return valid(
    name,
    `every transaction of the receipt is unchanged at its place in the current tree of ${now.size}`,
  );
}
