// A definitions file may hold several processes (one per pool); we run exactly one: the only
// process, or the only executable one.
import { makeDiagnostic } from './diagnostic.ts';
import type { Locator } from './locate.ts';
import type { ModdleElement } from './moddle-types.ts';
import type { Diagnostic } from './model.ts';

export function selectProcess(
  definitions: ModdleElement,
  locator: Locator,
): { process?: ModdleElement; diagnostics: Diagnostic[] } {
  const roots: ModdleElement[] = Array.isArray(definitions.rootElements) ? definitions.rootElements : [];
  const processes = roots.filter((r) => r.$type === 'bpmn:Process');
  if (processes.length === 0) {
    return {
      diagnostics: [
        makeDiagnostic(locator, 'no-process', 'The model contains no <bpmn:process>', definitions),
      ],
    };
  }
  if (processes.length === 1) {
    const [process] = processes;
    const diagnostics =
      process.isExecutable === true
        ? []
        : [
            makeDiagnostic(
              locator,
              'process-not-executable',
              `Process "${process.id}" is not marked isExecutable="true"; compiling it anyway`,
              process,
              { severity: 'warning' },
            ),
          ];
    return { process, diagnostics };
  }
  const executable = processes.filter((p) => p.isExecutable === true);
  if (executable.length === 1) return { process: executable[0], diagnostics: [] };
  const ids = (executable.length > 0 ? executable : processes).map((p) => `"${p.id}"`).join(', ');
  const why = executable.length > 0 ? 'are all marked executable' : 'none is marked isExecutable="true"';
  return {
    diagnostics: [
      makeDiagnostic(
        locator,
        'ambiguous-process',
        `The model holds several processes (${ids}) and ${why}: mark exactly one isExecutable="true"`,
        definitions,
      ),
    ],
  };
}
