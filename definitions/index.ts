// The BPMN compiler: XML text in, a validated ProcessModel or precise diagnostics out.
// Pure (no I/O beyond the text it is given) and total: it never throws.
import { createHash } from 'node:crypto';
import { convertCamunda7 } from './camunda7/index.ts';
import { buildModel } from './compile.ts';
import { createContext } from './context.ts';
import { internalError, limited, sortDiagnostics } from './diagnostic-list.ts';
import { readModelSource } from './guards.ts';
import { bpmnlint } from './lint/bpmnlint.ts';
import type { ModdleElement } from './moddle-types.ts';
import { type CompileResult, type Diagnostic, ProcessModel } from './model.ts';
import { parseBpmn, type UnresolvedReference } from './parse.ts';
import { RULES } from './rules/index.ts';
import { selectProcess } from './select.ts';

export type { CompileResult, Diagnostic, ProcessModel } from './model.ts';

export interface CompileOptions {
  /** Version number stamped on the model; the definition store assigns real ones. Default 1. */
  version?: number;
}

export async function compile(xml: string | Uint8Array, opts: CompileOptions = {}): Promise<CompileResult> {
  try {
    return await compileSource(xml, opts);
  } catch (error) {
    return failed([internalError('The compiler failed unexpectedly', error)]);
  }
}

async function compileSource(xml: string | Uint8Array, opts: CompileOptions): Promise<CompileResult> {
  const source = readModelSource(xml);
  if (!source.ok) return failed([source.diagnostic]);
  const { text, bytes, locator } = source;

  const parsed = await parseBpmn(text, locator);
  if (!parsed.definitions) return failed(parsed.diagnostics);
  const selected = selectProcess(parsed.definitions, locator);
  if (!selected.process) return failed([...parsed.diagnostics, ...selected.diagnostics]);

  relaxForeignReferences(parsed.unresolved, selected.process);
  const diagnostics = [...parsed.diagnostics, ...selected.diagnostics];
  try {
    // a Camunda 7 model is rewritten into the zeebe: dialect the rules and the builder read
    for (const diagnostic of convertCamunda7(parsed.definitions, selected.process, locator))
      diagnostics.push(diagnostic);
  } catch (error) {
    diagnostics.push(internalError('The Camunda 7 conversion failed unexpectedly', error));
  }
  const ctx = createContext(locator, parsed.definitions, selected.process, parsed.unresolved);
  for (const [code, rule] of Object.entries(RULES)) {
    try {
      for (const diagnostic of rule(ctx)) diagnostics.push(diagnostic); // no spread: rules may return 100k items
    } catch (error) {
      diagnostics.push(internalError(`Rule ${code} failed unexpectedly`, error));
    }
  }
  try {
    // after our rules: where both would report the same problem, bpmnlint's report is dropped
    for (const diagnostic of await bpmnlint(ctx, diagnostics)) diagnostics.push(diagnostic);
  } catch (error) {
    diagnostics.push(internalError('bpmnlint failed unexpectedly', error));
  }
  const sorted = sortDiagnostics(diagnostics);
  if (sorted.some((d) => d.severity === 'error')) return failed(sorted);

  const hash = createHash('sha256').update(bytes).digest('hex');
  const draft = buildModel(ctx, { hash, version: opts.version ?? 1 });
  const model = ProcessModel.safeParse(draft);
  if (!model.success) {
    const issues = model.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return failed([...sorted, internalError(`The compiled model is invalid (${issues})`)]);
  }
  return { ok: true, model: model.data, diagnostics: limited(sorted) };
}

/** Root elements whose references the compiled process uses (its events' messages, errors, ...). */
const USED_ROOTS = new Set(['bpmn:Message', 'bpmn:Error', 'bpmn:Escalation', 'bpmn:Signal']);

/**
 * A dangling reference in another pool's process or in an interface (`bpmn:operation`) cannot
 * affect the process we run: a warning, not an error.
 */
function relaxForeignReferences(unresolved: UnresolvedReference[], process: ModdleElement): void {
  for (const { element, diagnostic } of unresolved) {
    if (diagnostic?.severity !== 'error') continue;
    let root: ModdleElement | undefined = element;
    while (root?.$parent && root.$parent.$type !== 'bpmn:Definitions') root = root.$parent;
    if (root === process || USED_ROOTS.has(root?.$type ?? '')) continue;
    diagnostic.severity = 'warning';
    diagnostic.message += `; ignored: it is not part of process "${process.id}"`;
  }
}

function failed(diagnostics: Diagnostic[]): CompileResult {
  return { ok: false, diagnostics: limited(diagnostics) };
}
