// Which document is DMN, and in which version. dmn-moddle 12 reads only the DMN 1.3 namespaces;
// for the decision tables and literal expressions Camunda 8 runs, DMN 1.1, 1.2, 1.4 and 1.5 are
// structurally the same, so their namespace declarations are rewritten to DMN 1.3 before parsing
// instead of rejecting the model. Anything a version has that 1.3 lacks is still reported by the
// parser as an unknown element or attribute.

export const DMN13_MODEL = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
const DMN13_DMNDI = 'https://www.omg.org/spec/DMN/20191111/DMNDI/';
const DMN13_DC = 'http://www.omg.org/spec/DMN/20180521/DC/';
const DMN13_DI = 'http://www.omg.org/spec/DMN/20180521/DI/';

/** The DMN model namespaces, by version. */
export const DMN_MODEL_NAMESPACES: Record<string, string> = {
  'http://www.omg.org/spec/DMN/20151101/dmn.xsd': '1.1',
  'http://www.omg.org/spec/DMN/20180521/MODEL/': '1.2',
  [DMN13_MODEL]: '1.3',
  'https://www.omg.org/spec/DMN/20211108/MODEL/': '1.4',
  'https://www.omg.org/spec/DMN/20230324/MODEL/': '1.5',
};

/** How much of the text isDmnSource looks at: the root tag of a modeller's file is well under this. */
const HEAD_CHARS = 8 * 1024;
/** How many bytes of an undecoded source it decodes to look at. */
const HEAD_BYTES = 4 * 1024;

export interface RootElement {
  /** The tag name as written, e.g. `bpmn:definitions`. */
  name: string;
  localName: string;
  /** The namespace its prefix is bound to on the root tag, if declared there. */
  namespace?: string;
  /** Offset of its `<`. */
  offset: number;
}

/** Whether the source's root element is DMN `definitions`; only its head is read (and decoded). */
export function isDmnSource(source: string | Uint8Array): boolean {
  const head =
    typeof source === 'string'
      ? source.slice(0, HEAD_CHARS)
      : new TextDecoder().decode(source.subarray(0, HEAD_BYTES));
  const root = rootElement(head);
  return (
    root?.localName === 'definitions' &&
    root.namespace !== undefined &&
    root.namespace in DMN_MODEL_NAMESPACES
  );
}

/** The first element of the document, skipping a byte-order mark, the XML declaration, comments and PIs. */
export function rootElement(text: string): RootElement | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt === -1) return undefined;
    if (text.startsWith('<?', lt)) i = text.indexOf('?>', lt);
    else if (text.startsWith('<!--', lt)) i = text.indexOf('-->', lt);
    else if (text[lt + 1] === '!') i = text.indexOf('>', lt);
    else return readRoot(text, lt);
    if (i === -1) return undefined;
  }
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

function readRoot(text: string, lt: number): RootElement | undefined {
  NAME.lastIndex = lt + 1;
  const name = NAME.exec(text)?.[0];
  if (!name) return undefined;
  const colon = name.indexOf(':');
  const prefix = colon === -1 ? '' : name.slice(0, colon);
  const declaration = prefix ? `xmlns:${prefix}` : 'xmlns';
  let namespace: string | undefined;
  ATTRIBUTE.lastIndex = lt + 1 + name.length;
  for (let match = ATTRIBUTE.exec(text); match; match = ATTRIBUTE.exec(text)) {
    if (match[1] === declaration) namespace = match[2] ?? match[3];
  }
  return { name, localName: name.slice(colon + 1), namespace, offset: lt };
}

/** The DMN 1.3 URI for a namespace of another DMN version, or undefined to keep it. */
function dmn13(uri: string): string | undefined {
  if (uri in DMN_MODEL_NAMESPACES) return uri === DMN13_MODEL ? undefined : DMN13_MODEL;
  const di = /^https?:\/\/www\.omg\.org\/spec\/DMN\/\d{8}\/(DMNDI|DC|DI)\/?$/.exec(uri)?.[1];
  const target = di === 'DMNDI' ? DMN13_DMNDI : di === 'DC' ? DMN13_DC : di === 'DI' ? DMN13_DI : undefined;
  return target === uri ? undefined : target;
}

export interface Normalized {
  text: string;
  /** Maps an offset in the rewritten text back to the source text. */
  toSource(offset: number): number;
}

const DECLARATION = /(\sxmlns(?::[\w.-]+)?\s*=\s*)(["'])([^"']*)\2/g;

/** Rewrites every namespace declaration of another DMN version to its DMN 1.3 URI. */
export function toDmn13(text: string): Normalized {
  // [offset in the rewritten text after which the shift applies, cumulative length change]
  const shifts: Array<[number, number]> = [];
  let delta = 0;
  const rewritten = text.replace(
    DECLARATION,
    (whole, head: string, quote: string, uri: string, at: number) => {
      const target = dmn13(uri);
      if (!target) return whole;
      delta += target.length - uri.length;
      shifts.push([at + whole.length + delta, delta]);
      return `${head}${quote}${target}${quote}`;
    },
  );
  if (shifts.length === 0) return { text, toSource: (offset) => offset };
  return {
    text: rewritten,
    toSource(offset) {
      let shift = 0;
      for (const [after, cumulative] of shifts) if (offset >= after) shift = cumulative;
      return offset - shift;
    },
  };
}
