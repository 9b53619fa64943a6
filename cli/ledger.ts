// `govflow ledger invoke|query --org <MSP id> <Function> <args...>`: any contract transaction by
// name, submitted as that organisation on whichever ledger is configured — the operators'
// `peer chaincode invoke/query`, so anyone can see by hand what the contract accepts and refuses.
import { ContractLedger } from '../ledger/contract-ledger.ts';
import { ContractError } from '../ledger/errors.ts';
import type { Config } from './config.ts';
import { ledgerFor } from './services.ts';

export const LEDGER_USAGE = `  ledger invoke --org <MSP id> <Function> [<arg>...] [--transient <json>]   submit a contract transaction as that organisation
  ledger query --org <MSP id> <Function> [<arg>...]   evaluate a query transaction as that organisation`;

export class LedgerCommandError extends Error {}

/** Runs the command; prints the result's JSON, or the contract's refusal (exit code 1). */
export async function runLedgerCommand(
  config: Config,
  positionals: string[],
  options: { org?: string; transient?: string },
): Promise<number> {
  const [action, fn, ...args] = positionals;
  if (action !== 'invoke' && action !== 'query')
    throw new LedgerCommandError(`ledger needs invoke or query\n\n${LEDGER_USAGE}`);
  if (!options.org) throw new LedgerCommandError(`ledger ${action} needs --org <MSP id>\n\n${LEDGER_USAGE}`);
  if (!fn) throw new LedgerCommandError(`ledger ${action} needs a contract function name`);
  const transient = options.transient === undefined ? undefined : transientOf(options.transient);
  const as = { mspId: options.org, id: `${options.org.toLowerCase()}-operator` };
  const ledger = await ledgerFor(config, options.org);
  try {
    if (!(ledger instanceof ContractLedger))
      throw new LedgerCommandError(`the ${ledger.kind} ledger does not take transactions by name`);
    const result =
      action === 'invoke' ? await ledger.invoke(fn, args, as, transient) : await ledger.query(fn, args, as);
    console.log(pretty(result));
    return 0;
  } catch (err) {
    if (!(err instanceof ContractError)) throw err;
    console.error(`govflow: ${fn} refused${err.code ? ` (${err.code})` : ''}: ${err.message}`);
    return 1;
  } finally {
    await ledger.close();
  }
}

/** Transient data: a JSON object whose members travel as JSON text (variables, details, salt). */
function transientOf(text: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LedgerCommandError(`--transient is not valid JSON: ${text}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new LedgerCommandError('--transient must be a JSON object');
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

function pretty(result: string): string {
  try {
    return JSON.stringify(JSON.parse(result), null, 2);
  } catch {
    return result;
  }
}
