// The BPMN compiler: XML text in, a validated ProcessModel or precise diagnostics out.
// Pure (no I/O beyond the text it is given) and total: it never throws.
import { createHash } from 'node:crypto';
import { buildModel } from './compile.ts';
import { createContext } from './context.ts';
import { decodeSource } from './guards.ts';
import { bpmnlint } from './lint/bpmnlint.ts';
import { Locator } from './locate.ts';
import { scanMarkup } from './markup.ts';
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
  const decoded = decodeSource(xml);
  if (!decoded.ok) return failed([decoded.diagnostic]);
  const { text, bytes } = decoded;
  if (!text.trim())
    return failed([{ code: 'model-empty', severity: 'error', message: 'The model is empty' }]);

  const locator = new Locator(text);
  const markup = scanMarkup(text, locator);
  if (markup) return failed([markup]);

  const parsed = await parseBpmn(text, locator);
  if (!parsed.definitions) return failed(parsed.diagnostics);
  const selected = selectProcess(parsed.definitions, locator);
  if (!selected.process) return failed([...parsed.diagnostics, ...selected.diagnostics]);

  relaxForeignReferences(parsed.unresolved, selected.process);
  const ctx = createContext(locator, parsed.definitions, selected.process, parsed.unresolved);
  const diagnostics = [...parsed.diagnostics, ...selected.diagnostics];
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

/** Enough to fix a model by; a hostile one could otherwise yield a response of megabytes. */
export const MAX_DIAGNOSTICS = 500;

function failed(diagnostics: Diagnostic[]): CompileResult {
  return { ok: false, diagnostics: limited(diagnostics) };
}

function limited(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  const more = diagnostics.length - MAX_DIAGNOSTICS;
  const note = `${more} more problem${more > 1 ? 's' : ''} not listed; fix the ones above first`;
  return [
    ...diagnostics.slice(0, MAX_DIAGNOSTICS),
    { code: 'diagnostics-truncated', severity: 'warning', message: note },
  ];
}

function internalError(message: string, error?: unknown): Diagnostic {
  const detail = error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`;
  return { code: 'internal-error', severity: 'error', message: `${message}${detail}` };
}

/** Document order, document-wide problems first; drops exact repeats. */
function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.code}\u0000${d.elementId ?? ''}\u0000${d.line ?? ''}:${d.column ?? ''}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((d, index) => ({ d, index }))
    .sort((a, b) => (a.d.line ?? 0) - (b.d.line ?? 0) || a.index - b.index)
    .map(({ d }) => d);
}
