import { parser, trackVariables } from '@bpmn-io/lezer-feel';
const p = parser.configure({ top: 'Expression', contextTracker: trackVariables({}) });
for (const e of ['x', 'x = 1', 'decision = "approve"', 'a = 1 and b = 2 and c = 3 and d = 4', 'every risk in riskLevels satisfies risk = "yellow"', '[' + Array(10).fill('every risk in riskLevels satisfies risk = "yellow"').join(', ') + ']']) {
  for (let i = 0; i < 2000; i++) p.parse(e);
  const s = performance.now();
  for (let i = 0; i < 5000; i++) p.parse(e);
  console.log(((performance.now() - s) / 5000 * 1000).toFixed(1), 'µs', e.length, e.slice(0, 50));
}
