import * as feel from '../definitions/feel.ts';
import { readFileSync } from 'node:fs';
const orig = feel.feelSyntaxError;
const seen: string[] = [];
const { compile } = await import('../definitions/index.ts');
// monkeypatch not possible on ESM namespace; instead re-derive via rule module
import { Locator } from '../definitions/locate.ts';
import { parseBpmn } from '../definitions/parse.ts';
import { selectProcess } from '../definitions/select.ts';
import { createContext } from '../definitions/context.ts';
for (const f of process.argv.slice(2)) {
  const text = readFileSync(f, 'utf8');
  const locator = new Locator(text);
  const parsed = await parseBpmn(text, locator);
  const sel = selectProcess(parsed.definitions!, locator);
  if (!sel.process) continue;
  const ctx = createContext(locator, parsed.definitions!, sel.process, parsed.unresolved);
  // crude: collect condition bodies and io mapping sources
  const out: string[] = [];
  for (const fl of ctx.flows) if (fl.conditionExpression) out.push('cond: ' + fl.conditionExpression.body);
  for (const n of ctx.nodes) for (const v of n.extensionElements?.values ?? []) {
    for (const io of [...(v.inputParameters ?? []), ...(v.outputParameters ?? [])]) out.push('io: ' + io.source);
    for (const k of ['inputCollection', 'outputElement', 'assignee', 'dueDate', 'expression']) if (v[k]) out.push(k + ': ' + v[k]);
  }
  console.log(f.split('/').pop(), out.length); for (const o of out) console.log('   ', o.replace(/\s+/g, ' ').slice(0, 110));
}
