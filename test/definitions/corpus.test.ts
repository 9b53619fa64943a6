// The BPMN MIWG reference models (shared/corpus/miwg, CC BY 3.0): every file compiles or is
// rejected with coded, element-level diagnostics; none crashes the compiler.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';

const dir = new URL('../../../shared/corpus/miwg/', import.meta.url);
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bpmn')) : [];

describe.skipIf(files.length === 0)(`MIWG corpus (${fileURLToPath(dir)})`, () => {
  it('holds the 21 reference models', () => {
    expect(files).toHaveLength(21);
  });

  for (const file of files) {
    it(`compiles ${file} without crashing`, async () => {
      const started = performance.now();
      const result = await compile(readFileSync(new URL(file, dir)));
      expect(performance.now() - started).toBeLessThan(2000);
      expect(result.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
      if (!result.ok) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      for (const d of result.diagnostics) {
        expect(d.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(d.message.length).toBeGreaterThan(0);
        if (d.code === 'unsupported-element')
          expect(d).toMatchObject({ elementId: expect.any(String), line: expect.any(Number) });
      }
    });
  }
});
