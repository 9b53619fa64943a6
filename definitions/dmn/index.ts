// The DMN compiler: XML text in, the DecisionGraph the ledger stores or precise diagnostics out.
// Like the BPMN compiler (../index.ts) it is pure and total: it never throws. It shares that
// compiler's guards on raw input (size, encoding, DOCTYPE, nesting), so their diagnostics keep
// the same codes; the DMN checks have codes prefixed `dmn-`.
import { createHash } from 'node:crypto';
import type { DecisionGraph } from '../../chaincode/src/decision.ts';
import { internalError, limited, sortDiagnostics } from '../diagnostic-list.ts';
import { readModelSource } from '../guards.ts';
import type { Diagnostic } from '../model.ts';
import { GraphBuilder } from './build.ts';
import { parseDmn } from './parse.ts';

export { isDmnSource } from './namespace.ts';

export type DecisionCompileResult =
  | {
      ok: true;
      graph: DecisionGraph;
      /** SHA-256 (hex) of the source bytes. */
      hash: string;
      diagnostics: Diagnostic[];
    }
  | { ok: false; diagnostics: Diagnostic[] };

export async function compileDecisions(source: string | Uint8Array): Promise<DecisionCompileResult> {
  try {
    return await compileSource(source);
  } catch (error) {
    return { ok: false, diagnostics: [internalError('The DMN compiler failed unexpectedly', error)] };
  }
}

async function compileSource(source: string | Uint8Array): Promise<DecisionCompileResult> {
  const read = readModelSource(source);
  if (!read.ok) return failed([read.diagnostic]);
  const { text, bytes, locator } = read;

  const parsed = await parseDmn(text, locator);
  if (!parsed.definitions) return failed(parsed.diagnostics);
  const builder = new GraphBuilder(locator);
  const graph = builder.build(parsed.definitions);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...builder.diagnostics]);
  if (!graph || diagnostics.some((d) => d.severity === 'error')) return failed(diagnostics);
  const hash = createHash('sha256').update(bytes).digest('hex');
  return { ok: true, graph, hash, diagnostics: limited(diagnostics) };
}

function failed(diagnostics: Diagnostic[]): DecisionCompileResult {
  return { ok: false, diagnostics: limited(diagnostics) };
}
