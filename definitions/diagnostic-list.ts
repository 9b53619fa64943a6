// The list of diagnostics a compile returns (BPMN and DMN alike): in document order, without
// repeats, and capped so that a hostile model cannot produce a response of megabytes.
import type { Diagnostic } from './model.ts';

/** Enough to fix a model by. */
export const MAX_DIAGNOSTICS = 500;

export function limited(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  const more = diagnostics.length - MAX_DIAGNOSTICS;
  const note = `${more} more problem${more > 1 ? 's' : ''} not listed; fix the ones above first`;
  return [
    ...diagnostics.slice(0, MAX_DIAGNOSTICS),
    { code: 'diagnostics-truncated', severity: 'warning', message: note },
  ];
}

/** Document order (line, then column), document-wide problems first; drops exact repeats. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.code}\u0000${d.elementId ?? ''}\u0000${d.line ?? ''}:${d.column ?? ''}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((d, index) => ({ d, index }))
    .sort(
      (a, b) =>
        (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.column ?? 0) - (b.d.column ?? 0) || a.index - b.index,
    )
    .map(({ d }) => d);
}

export function internalError(message: string, error?: unknown): Diagnostic {
  const detail = error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`;
  return { code: 'internal-error', severity: 'error', message: `${message}${detail}` };
}
