import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import govflow from '../definitions/govflow.json' with { type: 'json' };
import { Locator } from '../definitions/locate.ts';
import { scanMarkup } from '../definitions/markup.ts';
import { parseBpmn } from '../definitions/parse.ts';
import { selectProcess } from '../definitions/select.ts';
import { createContext } from '../definitions/context.ts';
import { RULES } from '../definitions/rules/index.ts';
import { bpmnlint } from '../definitions/lint/bpmnlint.ts';
import { buildModel } from '../definitions/compile.ts';
import { ProcessModel } from '../definitions/model.ts';
import { compile } from '../definitions/index.ts';
const moddle = new BpmnModdle({ zeebe, govflow });
const files = process.argv.slice(2);
const N = 40;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const t: Record<string, number> = {};
  const add = (k: string, v: number) => (t[k] = (t[k] ?? 0) + v);
  for (let i = 0; i < N + 5; i++) {
    const w = i >= 5;
    let s = performance.now();
    const p0 = performance.now(); await moddle.fromXML(text, 'bpmn:Definitions'); if (w) add('moddle-lax', performance.now() - p0);
    s = performance.now();
    const c0 = performance.now(); await compile(text); if (w) add('compile', performance.now() - c0);
    s = performance.now();
    const locator = new Locator(text); scanMarkup(text, locator);
    if (w) add('locate+scan', performance.now() - s); s = performance.now();
    const parsed = await parseBpmn(text, locator);
    if (w) add('parse', performance.now() - s); s = performance.now();
    const sel = selectProcess(parsed.definitions!, locator);
    if (!sel.process) continue;
    const ctx = createContext(locator, parsed.definitions!, sel.process, parsed.unresolved);
    if (w) add('context', performance.now() - s);
    const ds: any[] = [];
    for (const [code, rule] of Object.entries(RULES)) { s = performance.now(); ds.push(...rule(ctx)); if (w) add(`r:${code}`, performance.now() - s); }
    s = performance.now(); await bpmnlint(ctx, ds); if (w) add('bpmnlint', performance.now() - s);
    s = performance.now();
    if (!ds.some((d) => d.severity === 'error')) { ProcessModel.safeParse(buildModel(ctx, { hash: 'a'.repeat(64), version: 1 })); }
    if (w) add('build+zod', performance.now() - s);
  }
  const rows = Object.entries(t).map(([k, v]) => [k, v / N] as const).filter(([, v]) => v > 0.02).sort((a, b) => b[1] - a[1]);
  console.log(f.split('/').pop(), rows.map(([k, v]) => `${k}=${v.toFixed(2)}`).join(' '));
}
