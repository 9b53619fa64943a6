// Builds our validation rules as the npm package `bpmnlint-plugin-govflow` (default: dist/), so
// bpmnlint's CLI and Camunda Modeler's lint plugin can load them by name:
// `"extends": ["bpmnlint:recommended", "plugin:govflow/recommended"]`.
// The rules themselves are definitions/rules/*.ts; definitions/lint/plugin.ts adapts them.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PLUGIN_PACKAGE } from '../definitions/lint/plugin.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Writes the package into `outDir`; returns the rule names it exports. */
export async function buildLintPlugin(outDir: string): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'rules'), { recursive: true });
  // the govflow: extension package the rules read (zeebe: comes from zeebe-bpmn-moddle); a
  // .bpmnlintrc names both in `moddleExtensions`, else bpmnlint's parser sees them as unknown
  mkdirSync(join(outDir, 'moddle'), { recursive: true });
  copyFileSync(join(REPO, 'definitions/govflow.json'), join(outDir, 'moddle/govflow.json'));
  // one CommonJS bundle with every rule: bpmnlint requires plugins, and the Modeler bundles them
  await build({
    entryPoints: [join(REPO, 'definitions/lint/plugin.ts')],
    outfile: join(outDir, 'lib/plugin.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['bpmnlint'],
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const plugin = (await import(join(outDir, 'lib/plugin.js'))) as {
    default: { rules: Record<string, unknown>; configs: Record<string, unknown> };
  };
  const names = Object.keys(plugin.default.rules).sort();
  // bpmnlint resolves a plugin's rules by path: rules/<name>.js
  for (const name of names) {
    writeFileSync(
      join(outDir, 'rules', `${name}.js`),
      `module.exports = require('../lib/plugin.js').rules[${JSON.stringify(name)}];\n`,
    );
  }
  writeFileSync(
    join(outDir, 'index.js'),
    `// govflow's validation rules for bpmnlint: what the govflow engine cannot run.
const { configs } = require('./lib/plugin.js');
const names = ${JSON.stringify(names)};
module.exports = { configs, rules: Object.fromEntries(names.map((name) => [name, \`./rules/\${name}.js\`])) };
`,
  );
  const root = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
    dependencies: Record<string, string>;
  };
  writeFileSync(
    join(outDir, 'package.json'),
    `${JSON.stringify(
      {
        name: PLUGIN_PACKAGE,
        version: root.version,
        description: 'govflow validation rules for bpmnlint: what the govflow engine cannot run',
        license: root.license,
        main: 'index.js',
        files: ['index.js', 'lib', 'rules', 'moddle'],
        dependencies: { 'zeebe-bpmn-moddle': root.dependencies['zeebe-bpmn-moddle'] },
        peerDependencies: { bpmnlint: '>=10' },
      },
      null,
      2,
    )}\n`,
  );
  return names;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(REPO, 'dist', PLUGIN_PACKAGE));
  const names = await buildLintPlugin(out);
  console.log(`${PLUGIN_PACKAGE}: ${names.length} rules in ${out}`);
}
