// What every Camunda 7 conversion step uses: reading camunda:* attributes and extension
// elements (whatever prefix the document binds the namespace to), creating zeebe: and govflow:
// elements with the document's own moddle instance, and collecting what was converted, ignored
// or refused, so each converted element gets one warning that lists it all.
import { described, makeDiagnostic } from '../diagnostic.ts';
import type { Locator, SourcePosition } from '../locate.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { Untranslatable } from './feel-ast.ts';

/** Camunda 7's namespace, and the Activiti one it inherited and older models still use. */
export const CAMUNDA7_NAMESPACES = new Set([
  'http://camunda.org/schema/1.0/bpmn',
  'http://activiti.org/bpmn',
]);
const BPMN_NAMESPACE = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

export const CONVERTED = 'camunda7-converted';
export const EXPRESSION_UNTRANSLATABLE = 'camunda7-expression-untranslatable';
export const UNTRANSLATABLE = 'camunda7-untranslatable';

export interface CamundaAttribute {
  /** As written, e.g. `camunda:assignee`. */
  name: string;
  local: string;
  value: string;
}

/** Shortens values quoted in messages; a script or template can be long. */
export function quote(value: string): string {
  const flat = value.trim().replace(/\s+/g, ' ');
  return `"${flat.length > 120 ? `${flat.slice(0, 120)}…` : flat}"`;
}

/** FEEL as written in messages: in backticks, since it often holds double quotes itself. */
export function code(feel: string): string {
  return `\`${feel}\``;
}

export class Converter {
  readonly diagnostics: Diagnostic[] = [];
  /** What happened to each element, in document order of first mention. */
  private readonly notes = new Map<ModdleElement, string[]>();
  private readonly consumed = new Map<ModdleElement, Set<string>>();
  private readonly consumedChildren = new Set<ModdleElement>();
  private readonly ioMappings = new Map<ModdleElement, ModdleElement>();
  /** Namespaces in scope, by element: an element without declarations shares its parent's map. */
  private readonly scopes = new Map<ModdleElement, Map<string, string>>();

  constructor(
    readonly locator: Locator,
    readonly definitions: ModdleElement,
  ) {}

  /** Prefix -> namespace URI in scope at the element (declarations on it and its ancestors). */
  namespacesAt(element: ModdleElement | undefined): Map<string, string> {
    if (!element) return new Map();
    const cached = this.scopes.get(element);
    if (cached) return cached;
    const inherited = this.namespacesAt(element.$parent);
    // typed elements keep xmlns in $attrs; generic (unknown) ones as plain properties
    const declared = Object.entries({ ...element.$attrs, ...(isGeneric(element) ? element : {}) })
      .filter(([key, value]) => typeof value === 'string' && (key === 'xmlns' || key.startsWith('xmlns:')))
      .map(([key, value]): [string, string] => [key === 'xmlns' ? '' : key.slice(6), value as string]);
    const map = declared.length === 0 ? inherited : new Map([...inherited, ...declared]);
    this.scopes.set(element, map);
    return map;
  }

  isCamunda(qualified: string, at: ModdleElement): boolean {
    return CAMUNDA7_NAMESPACES.has(this.namespacesAt(at).get(prefixOf(qualified)) ?? '');
  }

  isBpmnPrefix(prefix: string, at: ModdleElement): boolean {
    const uri = this.namespacesAt(at).get(prefix);
    return uri === undefined ? prefix === 'bpmn' : uri === BPMN_NAMESPACE;
  }

  /** The camunda:* attributes of an element, consumed or not. */
  attributes(element: ModdleElement): CamundaAttribute[] {
    return Object.entries(element.$attrs ?? {})
      .filter(
        ([name, value]) =>
          typeof value === 'string' && !name.startsWith('xmlns') && this.isCamunda(name, element),
      )
      .map(([name, value]) => ({ name, local: name.slice(name.indexOf(':') + 1), value }));
  }

  /** Reads a camunda:* attribute and marks it handled. */
  take(element: ModdleElement, local: string): CamundaAttribute | undefined {
    const found = this.attributes(element).find((a) => a.local === local);
    if (found) this.markTaken(element, found.name);
    return found;
  }

  markTaken(element: ModdleElement, name: string): void {
    const set = this.consumed.get(element) ?? new Set<string>();
    this.consumed.set(element, set);
    set.add(name);
  }

  untaken(element: ModdleElement): CamundaAttribute[] {
    const taken = this.consumed.get(element);
    return this.attributes(element).filter((a) => !taken?.has(a.name));
  }

  /**
   * camunda:* extension elements of a BPMN element, or the children of a generic camunda element
   * (which share its prefix; generic elements need not know their parent to resolve it).
   */
  children(element: ModdleElement | undefined, local?: string): ModdleElement[] {
    if (!element) return [];
    const generic = isGeneric(element);
    const list: unknown = generic ? element.$children : element.extensionElements?.values;
    if (!Array.isArray(list)) return [];
    const prefix = prefixOf(element.$type);
    return list.filter(
      (child: ModdleElement) =>
        typeof child?.$type === 'string' &&
        (generic ? prefixOf(child.$type) === prefix : this.isCamunda(child.$type, element)) &&
        (local === undefined || localName(child) === local),
    );
  }

  /** Reads camunda:* extension elements of one kind and marks them handled. */
  takeChildren(element: ModdleElement | undefined, local: string): ModdleElement[] {
    const found = this.children(element, local);
    for (const child of found) this.consumedChildren.add(child);
    return found;
  }

  untakenChildren(element: ModdleElement): ModdleElement[] {
    return this.children(element).filter((child) => !this.consumedChildren.has(child));
  }

  /** A zeebe:/govflow:/bpmn: element made by the moddle instance that parsed the document. */
  create(type: string, properties: Record<string, unknown> = {}): ModdleElement {
    return this.definitions.$model.create(type, properties) as ModdleElement;
  }

  addExtension(element: ModdleElement, extension: ModdleElement): ModdleElement {
    if (!element.extensionElements) {
      element.extensionElements = this.create('bpmn:ExtensionElements', { values: [] });
      element.extensionElements.$parent = element;
    }
    element.extensionElements.values ??= [];
    extension.$parent = element.extensionElements;
    element.extensionElements.values.push(extension);
    return extension;
  }

  /** The zeebe:ioMapping this conversion gives the element (one, however many sources fill it). */
  ioMapping(element: ModdleElement): ModdleElement {
    let mapping = this.ioMappings.get(element);
    if (!mapping) {
      mapping = this.addExtension(
        element,
        this.create('zeebe:IoMapping', { inputParameters: [], outputParameters: [] }),
      );
      this.ioMappings.set(element, mapping);
    }
    return mapping;
  }

  /** Records one line of the element's camunda7-converted warning. */
  note(owner: ModdleElement, text: string): void {
    const list = this.notes.get(owner);
    if (list) list.push(text);
    else this.notes.set(owner, [text]);
  }

  error(code: string, owner: ModdleElement, message: string, position?: SourcePosition): void {
    this.diagnostics.push(
      makeDiagnostic(this.locator, code, `${described(owner)}: ${message}`, owner, { position }),
    );
  }

  /**
   * The result of a translation, or undefined after reporting, as `<what>: <why>`, why it has
   * none (an Untranslatable thrown by `translate`; any other error is not caught).
   */
  attempt<T>(
    owner: ModdleElement,
    what: string,
    translate: () => T,
    position?: SourcePosition,
  ): T | undefined {
    try {
      return translate();
    } catch (error) {
      if (!(error instanceof Untranslatable)) throw error;
      this.error(EXPRESSION_UNTRANSLATABLE, owner, `${what}: ${error.message}`, position);
      return undefined;
    }
  }

  /** Where `name=` is written in the element's start tag, or the element itself. */
  attributePosition(owner: ModdleElement, name: string): SourcePosition | undefined {
    const start = this.locator.element(owner.id)?.offset;
    if (start === undefined) return undefined;
    return this.locator.find(` ${name}=`, start, 4096) ?? this.locator.element(owner.id);
  }

  /** Where the first `<prefix:local` after the element's start is, or the element itself. */
  childPosition(owner: ModdleElement, child: ModdleElement): SourcePosition | undefined {
    const start = this.locator.element(owner.id)?.offset;
    if (start === undefined) return undefined;
    return this.locator.find(`<${child.$type}`, start, 64 * 1024) ?? this.locator.element(owner.id);
  }

  /** The diagnostics: errors as they were found, then one warning per converted element. */
  finish(): Diagnostic[] {
    for (const [owner, lines] of this.notes) {
      const message = `${described(owner)} was converted from Camunda 7: ${lines.join('; ')}`;
      this.diagnostics.push(makeDiagnostic(this.locator, CONVERTED, message, owner, { severity: 'warning' }));
    }
    return this.diagnostics;
  }
}

/** An element of a namespace moddle has no schema for (camunda:*, signavio:*, ...). */
export function isGeneric(element: ModdleElement): boolean {
  return element.$descriptor?.isGeneric === true;
}

function prefixOf(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? '' : qualified.slice(0, colon);
}

export function localName(element: ModdleElement): string {
  return element.$type.slice(element.$type.indexOf(':') + 1);
}

/** A generic element's text (`<camunda:inputParameter>text</...>`). */
export function bodyOf(element: ModdleElement): string | undefined {
  return typeof element.$body === 'string' ? element.$body : undefined;
}
