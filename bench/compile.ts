// Compile time per MIWG reference model against bpmn-moddle's fromXML alone on the same text.
// Target: compile (parse + validate + build) under 2x parse. Run: npx tsx bench/compile.ts [runs]
// The corpus lives outside the repo (../shared/corpus/miwg, CC BY 3.0, see its SOURCE.md).
import { readdirSync, readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import govflow from '../definitions/govflow.json' with { type: 'json' };
import { compile } from '../definitions/index.ts';

const dir = new URL('../../shared/corpus/miwg/', import.meta.url);
const runs = Number(process.argv[2] ?? 30);
const warmup = 5;
const moddle = new BpmnModdle({ zeebe, govflow });

async function median(task: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < warmup; i++) await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const rows: string[][] = [];
let totalParse = 0;
let totalCompile = 0;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.bpmn'))
  .sort()) {
  const text = readFileSync(new URL(file, dir), 'utf8');
  const parse = await median(() => moddle.fromXML(text, 'bpmn:Definitions'));
  const result = await compile(text);
  const compiled = await median(() => compile(text));
  totalParse += parse;
  totalCompile += compiled;
  const outcome = result.ok
    ? 'ok'
    : `rejected (${result.diagnostics.filter((d) => d.severity === 'error').length} errors)`;
  rows.push([
    file,
    `${(text.length / 1024).toFixed(0)} KB`,
    parse.toFixed(2),
    compiled.toFixed(2),
    (compiled / parse).toFixed(2),
    outcome,
  ]);
}
rows.push([
  'total',
  '',
  totalParse.toFixed(2),
  totalCompile.toFixed(2),
  (totalCompile / totalParse).toFixed(2),
  '',
]);

const header = ['file', 'size', 'parse ms', 'compile ms', 'ratio', 'outcome'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(`median of ${runs} runs after ${warmup} warm-up runs, node ${process.version}`);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(`compile / parse over the corpus: ${(totalCompile / totalParse).toFixed(2)}x (target < 2x)`);
