// `govflow dev` (= npm start): everything on one machine. Starts (or joins) Temporal, opens the
// ledger as the engine (GovflowMSP), runs the API and a supervised engine worker process, one
// supervised process per department organisation (`govflow worker --org <MSP> --dev`: its jobs,
// its API node, its dev facts and witness, its identity only), and deploys the shipped models.
// No process holds another organisation's key.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signToken } from '../api/auth.ts';
import { DEPARTMENTS_FILE } from '../api/departments.ts';
import { deployDefinition } from '../api/deploy.ts';
import { startApiServer } from '../api/server.ts';
import { DEV_PEOPLE } from '../scripts/dev-facts.ts';
import { ensureSearchAttributes, startTemporalDevServer } from '../scripts/temporal.ts';
import { type Config, REPO_ROOT } from './config.ts';
import { DEPARTMENT_ORGANISATIONS, defaultDepartmentPort } from './department.ts';
import { createApiServices, departmentsOf, ledgerFor } from './services.ts';

export async function runDev(config: Config): Promise<void> {
  const say = (line: string) => console.log(`govflow: ${line}`);
  // The ledger first: a missing Fabric profile should stop us before anything is started.
  const ledger = await ledgerFor(config);
  let temporalAddress = config.temporalAddress;
  const temporalServer = temporalAddress
    ? undefined
    : await startTemporalDevServer({
        port: config.temporalPort,
        uiPort: config.temporalUiPort,
        dbFile: join(config.dataDir, 'temporal.db'),
        logFile: join(config.dataDir, 'logs', 'temporal.log'),
      });
  temporalAddress ??= temporalServer!.address;
  say(`Temporal ${temporalServer ? 'dev server started' : 'joined'} at ${temporalAddress}`);

  say(`${ledger.kind} ledger open as GovflowMSP`);
  if (ledger.anchors) {
    const { ledger: key } = await ledger.anchors.keys();
    say(`ledger key fingerprint ${key.fingerprint}`);
    say(
      `published at http://${config.host}:${config.port}/.well-known/govflow-ledger.json; witnesses: ${DEPARTMENT_ORGANISATIONS.join(', ')}`,
    );
  }

  // The department nodes the API passes department writes on to: GOVFLOW_DEPARTMENT_URLS, or
  // the default ports written to the data directory for the API and the departments to read.
  if (!process.env.GOVFLOW_DEPARTMENT_URLS) {
    const urls = Object.fromEntries(
      DEPARTMENT_ORGANISATIONS.map((mspId) => [
        mspId,
        `http://127.0.0.1:${defaultDepartmentPort(config, mspId)}`,
      ]),
    );
    mkdirSync(config.dataDir, { recursive: true });
    const file = join(config.dataDir, DEPARTMENTS_FILE);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(urls, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress,
    GOVFLOW_SUPERVISOR_PID: String(process.pid),
  };
  // FABRIC_CONNECTION names the engine's profile; each department finds its own in the network's profiles.
  const { FABRIC_CONNECTION: _engineProfile, ...departmentEnv } = childEnv;
  // Started before the API, so that their start-up overlaps its own.
  const children = [
    supervise('worker', ['worker'], childEnv, say),
    ...DEPARTMENT_ORGANISATIONS.map((mspId) =>
      supervise(mspId, ['worker', '--org', mspId, '--dev'], departmentEnv, say),
    ),
  ];

  const services = await createApiServices(config, temporalAddress, ledger);
  await ensureSearchAttributes(services.temporal.connection, config.namespace);
  // A port already taken stops us, and the processes just started with us.
  const server = await startApiServer(services, config.host, config.port).catch(async (err) => {
    await Promise.all(children.map((child) => child.stop()));
    throw err;
  });

  // decision models first: the processes shipped beside them may call their decisions
  const shipped = readdirSync(join(REPO_ROOT, 'definitions')).filter((f) => /\.(bpmn|dmn)$/.test(f));
  for (const file of shipped.sort((a, b) => Number(a.endsWith('.bpmn')) - Number(b.endsWith('.bpmn')))) {
    const outcome = await deployDefinition(
      services,
      readFileSync(join(REPO_ROOT, 'definitions', file)),
      'govflow-dev',
    );
    if (outcome.ok)
      say(
        `definition ${outcome.definition.key} v${outcome.definition.version} ${outcome.created ? 'deployed' : 'up to date'}`,
      );
    else say(`definition ${file} has errors: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
  }

  // Up once every department's node answers (its dev facts are written before it listens).
  const directory = departmentsOf(config);
  const nodes = await Promise.all(
    DEPARTMENT_ORGANISATIONS.map(async (mspId) => {
      const url = directory.urlOf(mspId) ?? '(no node configured)';
      return { mspId, url, up: await answers(`${url}/healthz`, 120_000) };
    }),
  );
  for (const node of nodes.filter((n) => !n.up))
    say(`department ${node.mspId}: no answer from its node at ${node.url}`);

  const token = (
    role: 'designer' | 'applicant' | 'clerk' | 'auditor',
    sub: string,
    groups: string[] = [],
    idNumber?: string,
    supervises?: string[],
  ) =>
    signToken(services.jwtSecret, {
      role,
      sub,
      groups,
      ...(idNumber ? { idNumber } : {}),
      ...(supervises ? { supervises } : {}),
    });
  const consoleUrl = `http://${config.host}:${config.port}/console`;
  const roles = [
    { role: 'designer', token: await token('designer', 'dana') },
    {
      role: 'applicant',
      token: await token('applicant', 'zhang.wei', [], DEV_PEOPLE.zhangWei.idNumber),
      note: 'Zhang Wei, owner of P-1001',
    },
    { role: 'clerk', token: await token('clerk', 'lin.clerk', ['land-registry']) },
    {
      role: 'supervisor',
      token: await token('clerk', 'wang.lead', ['land-registry'], undefined, ['land-registry']),
      note: 'a clerk supervising land-registry: assigns its tasks',
    },
    { role: 'auditor', token: await token('auditor', 'audrey') },
  ];
  console.log(`
govflow is up
  console      ${consoleUrl}/
  API          http://${config.host}:${config.port}   (OpenAPI: /openapi.json, health: /healthz)
  Temporal UI  ${temporalServer ? `http://127.0.0.1:${config.temporalUiPort}` : '(external server)'}
  data         ${config.dataDir}
  departments  (one process each, its own key; POST /registries on the API is passed on to them)
${nodes.map((n) => `    ${n.mspId.padEnd(20)} ${n.url}${n.up ? '' : '  (not answering)'}`).join('\n')}

Dev tokens (12 h), and the console's sign-in link for each role:
${roles
  .map(
    ({ role, token: value, note }) =>
      `  ${role.padEnd(10)} ${value}${note ? `   (${note})` : ''}\n  ${''.padEnd(10)} ${consoleUrl}/login?token=${value}`,
  )
  .join('\n')}
`);

  const stop = async () => {
    say('stopping');
    server.close();
    await Promise.all(children.map((child) => child.stop()));
    await services.temporal.connection.close();
    await ledger.close();
    await temporalServer?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Whether `url` answers 200 before `timeoutMs`. */
async function answers(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Runs `govflow <args>` as a child and starts it again if it dies (as a process manager would). */
function supervise(name: string, args: string[], env: NodeJS.ProcessEnv, say: (line: string) => void) {
  let child: ChildProcess | undefined;
  let stopping = false;
  const start = () => {
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'govflow.js'), ...args], {
      env,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      say(`${name} exited (${signal ?? code}); starting it again`);
      setTimeout(start, 1000);
    });
  };
  start();
  return {
    /** Asks the child to finish its current tasks and waits for it to exit. */
    stop(): Promise<void> {
      stopping = true;
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
