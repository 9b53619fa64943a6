// Hostile or broken input: always a diagnostic with a code, never a throw or a hang.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';
import type { CompileResult } from '../../definitions/model.ts';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';
const definitions = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NS} id="d">\n${inner}\n</bpmn:definitions>`;

async function rejected(input: string | Uint8Array): Promise<CompileResult> {
  const started = performance.now();
  const result = await compile(input);
  expect(performance.now() - started).toBeLessThan(2000);
  expect(result.ok).toBe(false);
  return result;
}

const codes = (result: CompileResult) => result.diagnostics.map((d) => d.code);

describe('hostile input', () => {
  it('malformed XML', async () => {
    const result = await rejected(
      definitions('  <bpmn:process id="p">\n    <bpmn:startEvent id="s">\n  </bpmn:process>'),
    );
    expect(codes(result)).toEqual(['xml-invalid']);
    expect(result.diagnostics[0].line).toBeGreaterThanOrEqual(4);
  });

  it('DOCTYPE with entity expansion (billion laughs)', async () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      '  <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
      ']>',
      `<bpmn:definitions ${NS}><bpmn:process id="p" name="&lol9;"/></bpmn:definitions>`,
    ].join('\n');
    const result = await rejected(lol);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'doctype-forbidden', line: 2 })]);
  });

  it('6 MB input, as text and as bytes', async () => {
    const big = definitions(`<!--${'x'.repeat(6 * 1024 * 1024)}-->`);
    expect(codes(await rejected(big))).toEqual(['model-too-large']);
    expect(codes(await rejected(Buffer.from(big)))).toEqual(['model-too-large']);
  });

  it('10,000 levels of nesting', async () => {
    const deep = definitions(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`);
    const result = await rejected(deep);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'too-deeply-nested', line: 3 })]);
  });

  it('duplicate ids', async () => {
    const result = await rejected(
      definitions(
        '  <bpmn:process id="p" isExecutable="true">\n    <bpmn:startEvent id="s" />\n    <bpmn:endEvent id="s" />\n  </bpmn:process>',
      ),
    );
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'duplicate-id', elementId: 's', line: 5 }),
    );
  });

  it('a flow to a missing id', async () => {
    const result = await rejected(
      readFileSync(new URL('../fixtures/bpmn/flow-target-missing.invalid.bpmn', import.meta.url)),
    );
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'flow-target-missing', elementId: 'toNowhere', line: 7 }),
    ]);
  });

  it('bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from(definitions('<bpmn:process id="p" name="')),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"/>'),
    ]);
    expect(codes(await rejected(bytes))).toEqual(['invalid-encoding']);
  });

  it('a 1 MB attribute value', async () => {
    const result = await rejected(definitions(`  <bpmn:process id="p" name="${'n'.repeat(1024 * 1024)}" />`));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'attribute-too-long', line: 3 })]);
  });

  it('empty input', async () => {
    expect(codes(await rejected(''))).toEqual(['model-empty']);
    expect(codes(await rejected(new Uint8Array()))).toEqual(['model-empty']);
    expect(codes(await rejected(' \n '))).toEqual(['model-empty']);
  });

  it('XML that is not BPMN', async () => {
    const result = await rejected('<foo/>');
    expect(codes(result)).toEqual(['not-bpmn']);
    expect(result.diagnostics[0].message).toContain('<foo>');
  });

  it('text that is not XML at all', async () => {
    expect(codes(await rejected('{"definitions": []}'))).toEqual(['xml-invalid']);
  });

  it('thousands of broken elements or attributes (the XML parser locates each one slowly)', async () => {
    const process = (body: string) =>
      definitions(`  <bpmn:process id="p" isExecutable="true">\n${body}\n  </bpmn:process>`);
    const unknown = await rejected(process('<bpmn:fooTask id="x" />\n'.repeat(20_000)));
    expect(unknown.diagnostics).toEqual([expect.objectContaining({ code: 'unknown-element', line: 4 })]);
    const spaced = await rejected(process('<bpmn:task name = "x" />\n'.repeat(20_000)));
    expect(spaced.diagnostics).toEqual([
      expect.objectContaining({ code: 'xml-invalid', line: 4, column: 16 }),
    ]);
    const undeclared = await rejected(process('<bpmn:task foo:bar="x" />\n'.repeat(20_000)));
    expect(codes(undeclared)).toEqual(['xml-invalid']);
  });

  it('ids without any markup', async () => {
    expect(codes(await rejected(' id="x"'.repeat(200_000)))).toEqual(['xml-invalid']);
  });

  it('caps the number of diagnostics', async () => {
    const flows = Array.from(
      { length: 2000 },
      (_, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="a${i}" targetRef="b${i}" />`,
    ).join('\n');
    const result = await rejected(
      definitions(`<bpmn:process id="p" isExecutable="true">\n${flows}\n</bpmn:process>`),
    );
    expect(result.diagnostics).toHaveLength(501);
    expect(result.diagnostics.at(-1)).toMatchObject({ code: 'diagnostics-truncated', severity: 'warning' });
  });

  it('never throws, even on a wrong argument type', async () => {
    const result = await compile(undefined as unknown as string);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });
});
