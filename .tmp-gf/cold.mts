import { parseExpression } from '@bpmn-io/feelin';
import { parser, trackVariables } from '@bpmn-io/lezer-feel';
const exprs = ['some risk in riskLevels satisfies risk = "red"', 'not(approved)', 'every risk in riskLevels satisfies risk = "yellow"', 'string(now())', '{ "name": applicant.name, "applicationNumber": applicationNumber, "product": product }', '{ "name": applicant.name }', 'if result != null then result.riskLevel else ["green"]', 'if result != null then result.risk else []'];
const mode = process.argv[2];
const p = parser.configure({ top: 'Expression', contextTracker: trackVariables({}) });
const parse = mode === 'feelin' ? (e: string) => parseExpression(e, {}, undefined) : (e: string) => p.parse(e);
const rounds: number[] = [];
for (let i = 0; i < 35; i++) { const s = performance.now(); for (const e of exprs) parse(e); rounds.push(performance.now() - s); }
const sorted = rounds.slice(5).sort((a, b) => a - b);
console.log(mode, 'first', rounds[0].toFixed(2), 'median of 30 after 5', sorted[15].toFixed(3), 'ms per model');
