// Building diagnostics: every one names the element it is about and where it sits in the XML.
import type { Locator, SourcePosition } from './locate.ts';
import type { ModdleElement } from './moddle-types.ts';
import type { Diagnostic } from './model.ts';

export interface DiagnosticOptions {
  severity?: Diagnostic['severity'];
  /** Overrides the element's own position, e.g. to point at one attribute inside it. */
  position?: SourcePosition;
}

/** The nearest element with an id, walking up from extension elements like `zeebe:taskDefinition`. */
export function owningElement(element: ModdleElement | undefined): ModdleElement | undefined {
  let current = element;
  while (current && !current.id) current = current.$parent;
  return current ?? element;
}

export function makeDiagnostic(
  locator: Locator | undefined,
  code: string,
  message: string,
  element?: ModdleElement | { id?: string; name?: string },
  options: DiagnosticOptions = {},
): Diagnostic {
  const owner = element && '$type' in element ? owningElement(element as ModdleElement) : element;
  const position = options.position ?? locator?.element(owner?.id);
  const diagnostic: Diagnostic = { code, severity: options.severity ?? 'error', message };
  if (owner?.id) diagnostic.elementId = owner.id;
  if (typeof owner?.name === 'string' && owner.name) diagnostic.elementName = owner.name;
  if (position) {
    diagnostic.line = position.line;
    diagnostic.column = position.column;
  }
  return diagnostic;
}

/** `"Task_1" ("Review title")`: how messages refer to an element. */
export function refer(element: { id?: string; name?: string } | undefined): string {
  if (!element?.id) return 'an element';
  return element.name ? `"${element.id}" ("${element.name}")` : `"${element.id}"`;
}

/** `user task`: an element's BPMN type in words, for use mid-sentence. */
export function kindOf(element: ModdleElement): string {
  const local = element.$type.split(':').pop() ?? element.$type;
  return local.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** `User task "review" ("Review title")`: kind, id and name, to open a sentence. */
export function described(element: ModdleElement): string {
  const kind = kindOf(element);
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} ${refer(element)}`;
}
