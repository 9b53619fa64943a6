import { readFileSync } from 'node:fs';
import { compile } from '../definitions/index.ts';
const texts = process.argv.slice(2).map((f) => readFileSync(f, 'utf8'));
for (let i = 0; i < 50; i++) for (const t of texts) await compile(t);
const s = performance.now();
for (let i = 0; i < 1500; i++) for (const t of texts) await compile(t);
console.log(((performance.now() - s) / 1500).toFixed(3), 'ms per round');
