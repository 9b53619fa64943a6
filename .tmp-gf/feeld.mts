import { feelSyntaxError } from '../definitions/feel.ts';
const exprs = ["bpmn:getDataObject('approved')", "not(bpmn:getDataObject('approved'))", "bpmn:getDataObject('clarified') = 'yes'", '${approved}', "${clarified == 'yes'}", 'Service Level == \'Premium\'', 'decision = "approve"'];
for (const e of exprs) {
  for (let i = 0; i < 300; i++) feelSyntaxError(e);
  const s = performance.now();
  for (let i = 0; i < 2000; i++) feelSyntaxError(e);
  console.log(((performance.now() - s) / 2000 * 1000).toFixed(1), 'µs', e, '->', feelSyntaxError(e));
}
