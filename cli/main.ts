// The `govflow` command.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ROLES, type Role, signToken } from '../api/auth.ts';
import { startApiServer } from '../api/server.ts';
import { compileDecisions, isDmnSource } from '../definitions/dmn/index.ts';
import { compile } from '../definitions/index.ts';
import { ensureTemporalCli } from '../scripts/temporal.ts';
import { createDepartmentWorker, createDepartmentWorkers, createWorker } from '../worker.ts';
import { ApiCallError, callApi } from './client.ts';
import { loadConfig } from './config.ts';
import { runDev } from './dev.ts';
import { followEventStream } from './events.ts';
import { LEDGER_USAGE, LedgerCommandError, runLedgerCommand } from './ledger.ts';
import { RECEIPT_USAGE, receiptCommand } from './receipt.ts';
import { createApiServices, createLogger, jwtSecret, ledgerFor } from './services.ts';
import { WITNESS_USAGE, witnessCommand } from './witness.ts';

const USAGE = `govflow <command>

  dev                              Temporal dev server + worker + API on this machine (npm start)
  worker [--org MSP]               run the engine's and the departments' workers against TEMPORAL_ADDRESS
                                   (default 127.0.0.1:7233); --org: only that department's job worker
  api                              run the API against TEMPORAL_ADDRESS
  install-temporal                 build and cache the Temporal CLI
  compile <file.bpmn|.dmn> [--json] check and compile a process or decision model locally
  token --role R [--group G]... [--sub S] [--id-number N]   print a dev JWT (roles: ${ROLES.join(', ')}; an applicant's ID number makes its person key)

  With GOVFLOW_TOKEN set, against GOVFLOW_URL (default http://127.0.0.1:8080):
  deploy <file.bpmn|.dmn>         deploy a process or decision model
  apply <processKey> --data <json> submit an application
  show <applicationId>             where an application stands
  tasks --group G                  a group's inbox
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
      data: { type: 'string' },
      decision: { type: 'string' },
      comment: { type: 'string' },
      ttl: { type: 'string' },
      application: { type: 'string' },
      after: { type: 'string' },
      name: { type: 'string' },
      history: { type: 'boolean' },
      org: { type: 'string' },
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
      await runDev(config);
      return -1; // keeps running
    case 'worker': {
      // The SDK logs every bundling step at INFO; keep the terminal for what matters.
      Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN') });
      const ledger = await ledgerFor(config);
      const where = {
        temporalAddress: config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`,
        namespace: config.namespace,
        taskQueue: config.taskQueue,
        ledger,
      };
      // --org <MSP id>: only that department's jobs; without it, the engine and (for now, in one
      // process) every department's worker.
      const workers = values.org
        ? [await createDepartmentWorker({ ...where, mspId: values.org })]
        : [await createWorker(where), ...(await createDepartmentWorkers(where))];
      createLogger(config, 'worker').info(
        { taskQueue: config.taskQueue, org: values.org ?? 'engine and departments' },
        'worker running',
      );
      // Started by `govflow dev`: end with it, never poll on for a stack that is gone.
      const supervisor = Number(process.env.GOVFLOW_SUPERVISOR_PID);
      const orphaned = supervisor
        ? setInterval(() => {
            if (process.ppid !== supervisor) for (const worker of workers) worker.shutdown();
          }, 1000)
        : undefined;
      await Promise.all(workers.map((worker) => worker.run()));
      clearInterval(orphaned);
      await ledger.close();
      return 0;
    }
    case 'api': {
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
      console.log(ensureTemporalCli());
      return 0;
    case 'compile': {
      const file = need(positionals[0], 'a .bpmn or .dmn file');
      const source = readFileSync(file);
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
    case 'tasks':
      print(
        await callApi(
          config,
          'GET',
          `/tasks?group=${encodeURIComponent(need(values.group?.[0], '--group'))}`,
        ),
      );
      return 0;
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
