// Compile time per MIWG reference model against bpmn-moddle's fromXML alone on the same text.
// Target: compile (parse + validate + build) under 2x parse. Run: npx tsx bench/compile.ts [runs]
// The corpus lives outside the repo (../shared/corpus/miwg, CC BY 3.0, see its SOURCE.md).
// Every file is first compiled a few times over (so that the JIT has seen every path before the
// first file is timed); then parse, compile and bpmnlint alone are timed in turn within each
// run, so that load from other processes affects all three alike; each figure is the median.
import { readdirSync, readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { createContext } from '../definitions/context.ts';
import govflow from '../definitions/govflow.json' with { type: 'json' };
import { compile } from '../definitions/index.ts';
import { bpmnlint } from '../definitions/lint/bpmnlint.ts';
import { Locator } from '../definitions/locate.ts';
import { parseBpmn } from '../definitions/parse.ts';
import { RULES } from '../definitions/rules/index.ts';
import { selectProcess } from '../definitions/select.ts';

const dir = new URL('../../shared/corpus/miwg/', import.meta.url);
const runs = Number(process.argv[2] ?? 60);
const warmup = 10;
const moddle = new BpmnModdle({ zeebe, govflow });

/** bpmnlint's share of a compilation: its rules alone on the parsed model, as index.ts runs them. */
async function lintOnly(text: string): Promise<(() => Promise<unknown>) | undefined> {
  const locator = new Locator(text);
  const parsed = await parseBpmn(text, locator);
  const process = parsed.definitions && selectProcess(parsed.definitions, locator).process;
  if (!parsed.definitions || !process) return undefined; // rejected before any rule runs
  const ctx = createContext(locator, parsed.definitions, process, parsed.unresolved);
  const ours = Object.values(RULES).flatMap((rule) => rule(ctx));
  return () => bpmnlint(ctx, ours);
}

async function time(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

/** Medians of parse, compile and bpmnlint alone (0 when no rule runs), timed in turn. */
async function measure(text: string): Promise<[number, number, number]> {
  const lint = await lintOnly(text);
  const tasks = [
    () => moddle.fromXML(text, 'bpmn:Definitions'),
    () => compile(text),
    lint ?? (async () => undefined),
  ];
  const times: number[][] = [[], [], []];
  for (let i = 0; i < warmup + runs; i++) {
    for (const [t, task] of tasks.entries()) {
      const ms = await time(task);
      if (i >= warmup) times[t].push(ms);
    }
  }
  return [median(times[0]), median(times[1]), lint ? median(times[2]) : 0];
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();
const texts = new Map(files.map((file) => [file, readFileSync(new URL(file, dir), 'utf8')]));
for (let i = 0; i < warmup; i++) {
  for (const text of texts.values()) {
    await moddle.fromXML(text, 'bpmn:Definitions');
    await compile(text);
  }
}

const rows: string[][] = [];
let totalParse = 0;
let totalCompile = 0;
let totalLint = 0;
let over = 0;
for (const [file, text] of texts) {
  const result = await compile(text);
  const [parse, compiled, lint] = await measure(text);
  totalParse += parse;
  totalCompile += compiled;
  totalLint += lint;
  if (compiled / parse >= 2) over++;
  const outcome = result.ok
    ? 'ok'
    : `rejected (${result.diagnostics.filter((d) => d.severity === 'error').length} errors)`;
  rows.push([
    file,
    `${(text.length / 1024).toFixed(0)} KB`,
    parse.toFixed(2),
    compiled.toFixed(2),
    (compiled / parse).toFixed(2),
    lint.toFixed(2),
    ((compiled - lint) / parse).toFixed(2),
    outcome,
  ]);
}
rows.push([
  'total',
  '',
  totalParse.toFixed(2),
  totalCompile.toFixed(2),
  (totalCompile / totalParse).toFixed(2),
  totalLint.toFixed(2),
  ((totalCompile - totalLint) / totalParse).toFixed(2),
  '',
]);

const header = [
  'file',
  'size',
  'parse ms',
  'compile ms',
  'ratio',
  'bpmnlint ms',
  'ratio w/o lint',
  'outcome',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const left = new Set([0, header.length - 1]);
const line = (cells: string[]) =>
  cells.map((c, i) => (left.has(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(
  `median of ${runs} runs after ${warmup} warm-up runs of the corpus and of each file, node ${process.version}`,
);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(
  `compile / parse over the corpus: ${(totalCompile / totalParse).toFixed(2)}x; files at or over 2x: ${over} (target: none)`,
);
