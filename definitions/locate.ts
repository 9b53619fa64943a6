// Source positions for diagnostics. bpmn-moddle keeps no positions on the elements it builds,
// so we scan the XML text for `id="..."` attributes and map offsets to 1-based line/column.

export interface SourcePosition {
  line: number;
  column: number;
  /** Offset of the element's `<` in the source text. */
  offset: number;
}

interface IdOccurrences {
  /** The model element's own tag (not a DI shape or extension carrying the same id). */
  primary?: number;
  offsets: number[];
}

const ID_ATTRIBUTE = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const TAG_NAME = /<([A-Za-z_][\w.:-]*)/y;
/** Tags that carry ids but are not the model element a diagnostic is about (DI shapes, our extensions). */
const SECONDARY_TAG = /(^|:)(BPMN\w*|formField|approvalRule)$/;

export class Locator {
  private readonly lineStarts: number[] = [0];
  private readonly ids = new Map<string, IdOccurrences>();

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    // The tag of each id is the last `<` before it; walk forward so the scan stays linear.
    let offset = -1;
    let next = text.indexOf('<');
    for (const match of text.matchAll(ID_ATTRIBUTE)) {
      const id = match[1] ?? match[2];
      while (next !== -1 && next < match.index) {
        offset = next;
        next = text.indexOf('<', next + 1);
      }
      if (offset === -1) continue;
      TAG_NAME.lastIndex = offset;
      const secondary = SECONDARY_TAG.test(TAG_NAME.exec(text)?.[1] ?? '');
      const known = this.ids.get(id);
      if (!known) this.ids.set(id, { primary: secondary ? undefined : offset, offsets: [offset] });
      else {
        known.offsets.push(offset);
        if (!secondary) known.primary ??= offset;
      }
    }
  }

  /** Line and column (1-based) of a character offset. */
  at(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1, offset };
  }

  /** The position of a 1-based line/column pair, clamped into the text. */
  position(line: number, column: number): SourcePosition {
    const lineIndex = Math.min(Math.max(line, 1), this.lineStarts.length) - 1;
    const offset = Math.min(this.lineStarts[lineIndex] + Math.max(column, 1) - 1, this.text.length);
    return { line: lineIndex + 1, column: offset - this.lineStarts[lineIndex] + 1, offset };
  }

  slice(offset: number, length: number): string {
    return this.text.slice(offset, offset + length);
  }

  /** The opening tag of the model element with this id (not its DI shape). */
  element(id: string | undefined): SourcePosition | undefined {
    if (!id) return undefined;
    const known = this.ids.get(id);
    if (!known) return undefined;
    return this.at(known.primary ?? known.offsets[0]);
  }

  /** The first `count` opening tags with this local name at or after `from`, whatever their prefix. */
  tags(localName: string, from: number, count: number): SourcePosition[] {
    const pattern = new RegExp(`<(?:[\\w.-]+:)?${localName}[\\s/>]`, 'g');
    pattern.lastIndex = from;
    const found: SourcePosition[] = [];
    for (
      let match = pattern.exec(this.text);
      match && found.length < count;
      match = pattern.exec(this.text)
    ) {
      found.push(this.at(match.index));
    }
    return found;
  }

  /** The first occurrence of `needle` in the `within` characters from `from`, e.g. an attribute of a tag. */
  find(needle: string, from = 0, within = this.text.length): SourcePosition | undefined {
    const index = this.text.slice(from, from + within).indexOf(needle);
    return index === -1 ? undefined : this.at(from + index);
  }
}
