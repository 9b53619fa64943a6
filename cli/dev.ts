// `govflow dev` (= npm start): everything on one machine. Starts (or joins) Temporal, opens the
// embedded ledger, runs a supervised worker process and the API, deploys the shipped models.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signToken } from '../api/auth.ts';
import { deployDefinition } from '../api/deploy.ts';
import { startApiServer } from '../api/server.ts';
import { REGISTRY_OWNERS } from '../chaincode/src/registries.ts';
import { startWitnesses } from '../ledger/witness.ts';
import { DEV_PEOPLE, seedDevFacts } from '../scripts/dev-facts.ts';
import { ensureSearchAttributes, startTemporalDevServer } from '../scripts/temporal.ts';
import { type Config, REPO_ROOT } from './config.ts';
import { createApiServices, ledgerFor } from './services.ts';

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

  const seeded = await seedDevFacts(ledger);
  say(`${ledger.kind} ledger open${seeded ? `, ${seeded} dev facts written` : ''}`);
  // One witness per department organisation, co-signing checkpoints as they appear.
  const witnessOrgs = [...new Set(Object.values(REGISTRY_OWNERS))];
  // They stand in for the departments on one machine, so they follow this data directory's ledger:
  // their state lives beside it (deleting .data/ starts a new ledger and new witnesses). Real
  // departments run `govflow witness` with the state in their own key directory, where a ledger
  // recreated under the same key is refused as a rewrite.
  const lastRefusal = new Map<string, string>();
  const witnesses = ledger.anchors
    ? await startWitnesses(ledger.anchors, witnessOrgs, {
        stateDir: join(config.dataDir, 'dev-witnesses'),
        onEvent: (mspId, e) => {
          if (e.outcome !== 'refused' || lastRefusal.get(mspId) === e.reason) return;
          lastRefusal.set(mspId, e.reason); // once per finding, not once per poll
          say(`witness ${mspId} REFUSED TO CO-SIGN: ${e.reason}`);
        },
      })
    : undefined;
  if (ledger.anchors) {
    const { ledger: key } = await ledger.anchors.keys();
    say(`ledger key fingerprint ${key.fingerprint}`);
    say(
      `published at http://${config.host}:${config.port}/.well-known/govflow-ledger.json; witnesses: ${witnessOrgs.join(', ')}`,
    );
  }

  const services = await createApiServices(config, temporalAddress, ledger);
  await ensureSearchAttributes(services.temporal.connection, config.namespace);
  // The API first: a port already taken stops us before a worker process is started.
  const server = await startApiServer(services, config.host, config.port);
  const worker = superviseWorker(
    { ...process.env, TEMPORAL_ADDRESS: temporalAddress, GOVFLOW_SUPERVISOR_PID: String(process.pid) },
    say,
  );

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

  const token = (
    role: 'designer' | 'applicant' | 'clerk' | 'auditor',
    sub: string,
    groups: string[] = [],
    idNumber?: string,
  ) => signToken(services.jwtSecret, { role, sub, groups, ...(idNumber ? { idNumber } : {}) });
  console.log(`
govflow is up
  API          http://${config.host}:${config.port}   (OpenAPI: /openapi.json, health: /healthz)
  Temporal UI  ${temporalServer ? `http://127.0.0.1:${config.temporalUiPort}` : '(external server)'}
  data         ${config.dataDir}

Dev tokens (12 h):
  designer   ${await token('designer', 'dana')}
  applicant  ${await token('applicant', 'zhang.wei', [], DEV_PEOPLE.zhangWei.idNumber)}   (Zhang Wei, owner of P-1001)
  clerk      ${await token('clerk', 'lin.clerk', ['land-registry'])}
  auditor    ${await token('auditor', 'audrey')}
`);

  const stop = async () => {
    say('stopping');
    server.close();
    await worker.stop();
    await services.temporal.connection.close();
    await witnesses?.stop();
    await ledger.close();
    await temporalServer?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Runs `govflow worker` as a child and starts it again if it dies (as a process manager would). */
function superviseWorker(env: NodeJS.ProcessEnv, say: (line: string) => void) {
  let child: ChildProcess | undefined;
  let stopping = false;
  const start = () => {
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'govflow.js'), 'worker'], {
      env,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      say(`worker exited (${signal ?? code}); starting it again`);
      setTimeout(start, 1000);
    });
  };
  start();
  return {
    /** Asks the worker to finish its current tasks and waits for it to exit. */
    stop(): Promise<void> {
      stopping = true;
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
