import { readFileSync } from 'node:fs';
import { compile } from './definitions/index.ts';
const r = await compile(readFileSync(process.argv[2]));
console.log(JSON.stringify(r, null, 1));
