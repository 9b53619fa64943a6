// The `govflow` command.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ROLES, type Role, signToken } from '../api/auth.ts';
import { ApiCallError, callApi } from './client.ts';
import { loadConfig } from './config.ts';
import { startDepartment } from './department.ts';
import { followEventStream } from './events.ts';
import { LEDGER_USAGE, LedgerCommandError, runLedgerCommand } from './ledger.ts';
import { RECEIPT_USAGE, receiptCommand } from './receipt.ts';
import { createLogger, jwtSecret, ledgerFor } from './services.ts';
import { WITNESS_USAGE, witnessCommand } from './witness.ts';

const USAGE = `govflow <command>

  dev                              Temporal dev server + engine (API, worker) + one process per department (npm start)
  worker                           run the engine's worker (GovflowMSP's identity) against TEMPORAL_ADDRESS
                                   (default 127.0.0.1:7233)
  worker --org MSP [--port N] [--dev]   a department's process: its jobs on its own task queue and its API
                                   node (POST /registries as MSP) on 127.0.0.1:N, with MSP's identity only;
                                   --dev: also its dev facts and its witness (as govflow dev runs it)
  api                              run the API (GovflowMSP's identity) against TEMPORAL_ADDRESS; department
                                   writes go to the departments' nodes (GOVFLOW_DEPARTMENT_URLS or
                                   <data dir>/departments.json)
  install-temporal                 build and cache the Temporal CLI
  compile <file.bpmn|.dmn> [--json] check and compile a process or decision model locally
  token --role R [--group G]... [--sub S] [--id-number N] [--supervises G1,G2]   print a dev JWT (roles:
                                   ${ROLES.join(', ')}; an applicant's ID number makes its person key; a clerk
                                   supervising groups may assign their tasks)

  With GOVFLOW_TOKEN set, against GOVFLOW_URL (default http://127.0.0.1:8080):
  deploy <file.bpmn|.dmn>         deploy a process or decision model
  apply <processKey> --data <json> submit an application
  show <applicationId>             where an application stands
  tasks --group G [--unassigned] | --assignee me | --completed   [--process KEY]   a group's inbox (only
                                   the tasks nobody holds), the tasks assigned to you, the tasks you completed
  claim <taskId> | unclaim <taskId> | assign <taskId> --user U   take a task, give it back, give it to U
  complete <taskId> --decision D [--comment C] [--data <json>]
  publish <name> <correlationKey> [--data <json>] [--ttl PT1H]   correlate a message
  signal <name> [--data <json>]    broadcast a signal
  trail <applicationId>            ledger records of an application
  verify <applicationId>           check the trail against the ledger
  events [--application ID] [--after CURSOR] [--name N,...]   follow ledger events, one JSON line each
  fact put <registry> <key> --data <json>   put a fact (department token with its MSP id as group)
  fact get <registry> <key> [--history]     a fact, or every version of it
${RECEIPT_USAGE}
${WITNESS_USAGE}

  On the configured ledger directly (embedded: the data directory's):
${LEDGER_USAGE}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'receipt') return receiptCommand(rest, loadConfig());
  if (command === 'witness') return witnessCommand(rest, loadConfig());
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      role: { type: 'string' },
      group: { type: 'string', multiple: true },
      sub: { type: 'string' },
      'id-number': { type: 'string' },
      supervises: { type: 'string' },
      assignee: { type: 'string' },
      unassigned: { type: 'boolean' },
      completed: { type: 'boolean' },
      process: { type: 'string' },
      user: { type: 'string' },
      data: { type: 'string' },
      decision: { type: 'string' },
      comment: { type: 'string' },
      ttl: { type: 'string' },
      application: { type: 'string' },
      after: { type: 'string' },
      name: { type: 'string' },
      history: { type: 'boolean' },
      org: { type: 'string' },
      port: { type: 'string' },
      dev: { type: 'boolean' },
      transient: { type: 'string' },
    },
  });
  const config = loadConfig();
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  const need = (value: string | undefined, what: string): string => {
    if (!value) throw new ApiCallError(`missing ${what}\n\n${USAGE}`);
    return value;
  };
  const json = (text: string | undefined, what: string) => {
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      throw new ApiCallError(`${what} is not valid JSON: ${text}`);
    }
  };

  switch (command) {
    case 'dev':
      // Commands load what they need only: a department's process starts without the engine's code.
      await (await import('./dev.ts')).runDev(config);
      return -1; // keeps running
    case 'worker': {
      const temporalAddress = config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
      // Started by `govflow dev`: end with it, never poll on for a stack that is gone.
      const supervisor = Number(process.env.GOVFLOW_SUPERVISOR_PID);
      const whenOrphaned = (stop: () => void) =>
        supervisor
          ? setInterval(() => {
              if (process.ppid !== supervisor) stop();
            }, 1000)
          : undefined;
      if (values.org) {
        // A department's process: its identity only, its jobs and its API node.
        const department = await startDepartment(config, values.org, {
          port: values.port,
          dev: values.dev,
          temporalAddress,
        });
        const stop = () => void department.stop();
        const orphaned = whenOrphaned(stop);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await department.done;
        clearInterval(orphaned);
        return 0;
      }
      // The engine's worker: GovflowMSP's identity only; departments run `worker --org`.
      const { DefaultLogger, Runtime } = await import('@temporalio/worker');
      // The SDK logs every bundling step at INFO; keep the terminal for what matters.
      Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN') });
      const { createWorker } = await import('../worker.ts');
      const ledger = await ledgerFor(config);
      const worker = await createWorker({
        temporalAddress,
        namespace: config.namespace,
        taskQueue: config.taskQueue,
        ledger,
      });
      createLogger(config, 'worker').info(
        { taskQueue: config.taskQueue, org: 'GovflowMSP' },
        'worker running',
      );
      const orphaned = whenOrphaned(() => worker.shutdown());
      await worker.run();
      clearInterval(orphaned);
      await ledger.close();
      return 0;
    }
    case 'api': {
      const { createApiServices } = await import('./services.ts');
      const { startApiServer } = await import('../api/server.ts');
      const ledger = await ledgerFor(config);
      const services = await createApiServices(
        config,
        config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`,
        ledger,
      );
      await startApiServer(services, config.host, config.port);
      console.log(`govflow API on http://${config.host}:${config.port}`);
      return -1;
    }
    case 'install-temporal':
      console.log((await import('../scripts/temporal.ts')).ensureTemporalCli());
      return 0;
    case 'compile': {
      const file = need(positionals[0], 'a .bpmn or .dmn file');
      const source = readFileSync(file);
      const { compileDecisions, isDmnSource } = await import('../definitions/dmn/index.ts');
      const { compile } = await import('../definitions/index.ts');
      const dmn = isDmnSource(source);
      const result = dmn ? await compileDecisions(source) : await compile(source);
      if (values.json) print(result);
      else if (result.ok)
        console.log(
          'graph' in result
            ? `${file}: ok, decision model ${result.graph.id}, decisions ${result.graph.decisions.map((d) => d.id).join(', ')}, hash ${result.hash}`
            : `${file}: ok, process ${result.model.key}, ${Object.keys(result.model.elements).length} elements, hash ${result.model.hash}`,
        );
      for (const d of values.json ? [] : result.diagnostics) {
        console.log(
          `${file}:${d.line ?? '?'}:${d.column ?? '?'} ${d.severity} ${d.code} ${d.elementId ? `[${d.elementId}] ` : ''}${d.message}`,
        );
      }
      return result.ok ? 0 : 1;
    }
    case 'token': {
      const role = need(values.role, '--role') as Role;
      if (!ROLES.includes(role)) throw new ApiCallError(`--role must be one of ${ROLES.join(', ')}`);
      console.log(
        await signToken(jwtSecret(config), {
          role,
          sub: values.sub ?? `dev-${role}`,
          groups: values.group ?? [],
          ...(values['id-number'] ? { idNumber: values['id-number'] } : {}),
          ...(values.supervises ? { supervises: values.supervises.split(',').map((g) => g.trim()) } : {}),
        }),
      );
      return 0;
    }
    case 'deploy':
      print(
        await callApi(config, 'POST', '/definitions', {
          xml: readFileSync(need(positionals[0], 'a .bpmn file')),
        }),
      );
      return 0;
    case 'apply':
      print(
        await callApi(config, 'POST', '/applications', {
          json: { processKey: need(positionals[0], 'a process key'), data: json(values.data, '--data') },
        }),
      );
      return 0;
    case 'show':
      print(await callApi(config, 'GET', `/applications/${need(positionals[0], 'an application id')}`));
      return 0;
    case 'tasks': {
      const query = new URLSearchParams();
      if (values.group?.[0]) query.set('group', values.group[0]);
      if (values.assignee) query.set('assignee', values.assignee);
      if (values.unassigned) query.set('unassigned', 'true');
      if (values.process) query.set('processKey', values.process);
      if (!values.completed && !values.group?.[0] && !values.assignee)
        throw new ApiCallError(`tasks needs --group, --assignee me or --completed\n\n${USAGE}`);
      print(await callApi(config, 'GET', `/tasks${values.completed ? '/completed' : ''}?${query}`));
      return 0;
    }
    case 'claim':
    case 'unclaim':
    case 'assign': {
      const taskId = encodeURIComponent(need(positionals[0], 'a task id'));
      const body = command === 'assign' ? { json: { user: need(values.user, '--user') } } : {};
      print(await callApi(config, 'POST', `/tasks/${taskId}/${command}`, body));
      return 0;
    }
    case 'complete':
      print(
        await callApi(config, 'POST', `/tasks/${need(positionals[0], 'a task id')}/complete`, {
          json: {
            decision: need(values.decision, '--decision'),
            comment: values.comment,
            data: values.data ? json(values.data, '--data') : undefined,
          },
        }),
      );
      return 0;
    case 'publish':
      print(
        await callApi(config, 'POST', '/messages', {
          json: {
            name: need(positionals[0], 'a message name'),
            correlationKey: need(positionals[1], 'a correlation key'),
            variables: json(values.data, '--data'),
            ...(values.ttl ? { timeToLive: values.ttl } : {}),
          },
        }),
      );
      return 0;
    case 'signal':
      print(
        await callApi(config, 'POST', '/signals', {
          json: { name: need(positionals[0], 'a signal name'), variables: json(values.data, '--data') },
        }),
      );
      return 0;
    case 'trail':
      print(await callApi(config, 'GET', `/applications/${need(positionals[0], 'an application id')}/trail`));
      return 0;
    case 'events':
      await followEventStream(config, {
        application: values.application,
        after: values.after,
        name: values.name,
      });
      return 0;
    case 'verify': {
      const report = (await callApi(
        config,
        'GET',
        `/applications/${need(positionals[0], 'an application id')}/verify`,
      )) as {
        valid: boolean;
      };
      print(report);
      return report.valid ? 0 : 1;
    }
    case 'fact': {
      const [action, registry, key] = positionals;
      const path = `/registries/${encodeURIComponent(need(registry, 'a registry'))}`;
      if (action === 'put') {
        const value = json(need(values.data, '--data'), '--data');
        print(await callApi(config, 'POST', path, { json: { key: need(key, 'a key'), value } }));
      } else if (action === 'get') {
        const suffix = values.history ? '/history' : '';
        print(await callApi(config, 'GET', `${path}/${encodeURIComponent(need(key, 'a key'))}${suffix}`));
      } else throw new ApiCallError(`fact needs put or get\n\n${USAGE}`);
      return 0;
    }
    case 'ledger':
      return runLedgerCommand(config, positionals, values);
    default:
      console.log(USAGE);
      return command && command !== 'help' && command !== '--help' ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    // A message for people (a ledger that does not open names its first bad block); the stack
    // only when asked for with LOG_LEVEL=debug.
    const expected = err instanceof ApiCallError || err instanceof LedgerCommandError;
    const debug = process.env.LOG_LEVEL === 'debug' && !expected;
    console.error(debug || !(err instanceof Error) ? err : `govflow: ${err.message}`);
    process.exit(1);
  },
);
