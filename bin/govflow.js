#!/usr/bin/env node
// The `govflow` command: runs the TypeScript sources directly through tsx, with the project's
// tsconfig wherever it is started from (the contract's decorators depend on its settings).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../cli/main.ts');
