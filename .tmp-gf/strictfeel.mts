import { parser, trackVariables } from '@bpmn-io/lezer-feel';
const tolerant = parser.configure({ top: 'Expression', contextTracker: trackVariables({}) });
const strict = parser.configure({ top: 'Expression', contextTracker: trackVariables({}), strict: true });
const firstError = (e: string) => { let at = -1; tolerant.parse(e).iterate({ enter(n) { if (at === -1 && n.type.isError) at = n.from; return at === -1; } }); return at; };
const strictAt = (e: string) => { try { strict.parse(e); return -1; } catch (err: any) { const m = /at (\d+)/.exec(err.message); return m ? Number(m[1]) : -2; } };
const samples = ["bpmn:getDataObject('approved')", "not(bpmn:getDataObject('approved'))", "bpmn:getDataObject('clarified') = 'yes'", '${approved}', "${clarified == 'yes'}", "Service Level == 'Premium'", 'decision =', 'a +', 'if x then', 'if x then y', '(a', 'a)', '[1, 2', '{a: }', 'x = = 1', 'some x in y', 'for x in y', 'a.b.', '"unterminated', 'x ! y', '1 2', 'a and', 'f(,)', 'x in [1..', 'date and time("x")', 'a = 1 and b == 2', 'x instance of', '@', '#{x}', 'a; b', 'function(a) a +', 'every x in [1,2] satisfies', 'not()', 'x between 1 and', "'single'", 'a = "x" or b = "y" and', '[1,2][', 'x.y[1', 'if a then b else', 'count(list', 'a - - b', 'a ** b', 'a <> b', 'a === b', 'a != ', '{ "name": applicant.name, }', 'string join(risks, ", ")', 'now() +', ')', '', ' ', 'abc def ghi = 3', '1.2.3', '-', 'null null'];
let diff = 0;
for (const s of samples) {
  const a = firstError(s), b = strictAt(s);
  if (a !== b) { diff++; console.log('DIFF', JSON.stringify(s), 'tolerant', a, 'strict', b); }
}
console.log('diffs', diff, 'of', samples.length);
const bench = (label: string, f: (e: string) => unknown, exprs: string[]) => { for (let i = 0; i < 300; i++) exprs.forEach(f); const s = performance.now(); for (let i = 0; i < 2000; i++) exprs.forEach(f); console.log(label, ((performance.now() - s) / 2000 / exprs.length * 1000).toFixed(1), 'µs'); };
const bad = samples.slice(0, 6);
bench('tolerant bad', firstError, bad); bench('strict bad', strictAt, bad);
const good = ['some risk in riskLevels satisfies risk = "red"', 'not(approved)', 'if result != null then result.riskLevel else ["green"]'];
bench('tolerant good', firstError, good); bench('strict good', strictAt, good);
