import { readFileSync } from 'node:fs';
import { Locator } from '../definitions/locate.ts';
import { parseBpmn } from '../definitions/parse.ts';
import { selectProcess } from '../definitions/select.ts';
import { createContext } from '../definitions/context.ts';
import * as L from '../definitions/lint/bpmnlint.ts';
const f = process.argv[2];
const text = readFileSync(f, 'utf8');
const locator = new Locator(text);
const parsed = await parseBpmn(text, locator);
const sel = selectProcess(parsed.definitions!, locator);
const ctx = createContext(locator, parsed.definitions!, sel.process!, parsed.unresolved);
const all = { ...L.BPMNLINT_CONFIG.rules };
const on = Object.entries(all).filter(([, v]) => v !== 'off').map(([k]) => k);
const N = 200;
async function time(rules: Record<string, string>) {
  (L.BPMNLINT_CONFIG as any).rules = rules;
  for (let i = 0; i < 20; i++) await L.bpmnlint(ctx, []);
  const s = performance.now();
  for (let i = 0; i < N; i++) await L.bpmnlint(ctx, []);
  return (performance.now() - s) / N;
}
const none = Object.fromEntries(Object.keys(all).map((k) => [k, 'off']));
console.log('none', (await time(none)).toFixed(3));
for (const r of on) console.log(r, (await time({ ...none, [r]: 'warn' })).toFixed(3));
console.log('all', (await time(all)).toFixed(3));
