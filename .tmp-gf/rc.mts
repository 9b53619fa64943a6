import { writeFileSync } from 'node:fs';
import { BPMNLINT_CONFIG } from '../definitions/lint/bpmnlint.ts';
writeFileSync('definitions/lint/.bpmnlintrc', `${JSON.stringify(BPMNLINT_CONFIG, null, 2)}\n`);
