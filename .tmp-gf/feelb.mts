import { parseExpression } from '@bpmn-io/feelin';
import { feelSyntaxError } from '../definitions/feel.ts';
import { parser, trackVariables } from '@bpmn-io/lezer-feel';
const exprs = ['every risk in riskLevels satisfies risk = "yellow"', 'some r in results satisfies r = false', 'if a > 3 then "x" else "y"', 'applicant.age >= 18 and status = "ok"', '${approved}', 'now() + duration("P2D")'];
const N = 2000;
const t = (label: string, fn: (e: string) => unknown) => {
  for (let i = 0; i < 200; i++) for (const e of exprs) fn(e);
  const s = performance.now();
  for (let i = 0; i < N; i++) for (const e of exprs) fn(e);
  console.log(label, (((performance.now() - s) / N / exprs.length) * 1000).toFixed(1), 'µs/expr');
};
t('feelin parseExpression', (e) => parseExpression(e, {}, undefined));
const p = parser.configure({ top: 'Expression', contextTracker: trackVariables({}) });
t('configured once', (e) => p.parse(e));
const p2 = parser.configure({ top: 'Expression' });
t('configured once, no tracker', (e) => p2.parse(e));
t('feelSyntaxError', (e) => feelSyntaxError(e));
