// Deployed models, one JSON file per version under <dir>/<key>/: BPMN processes in one store,
// DMN decision models in another. Versions are numbered per key; deploying the same source
// again returns the existing version.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecisionGraph } from '../chaincode/src/decision.ts';
import { compileDecisions } from '../definitions/dmn/index.ts';
import { compile } from '../definitions/index.ts';
import type { ApprovalRule, Diagnostic, ProcessModel } from '../definitions/model.ts';
import { modelHash } from '../ledger/model-hash.ts';
import type { ProcessRegistration } from '../ledger/types.ts';

export interface Deployed<M> {
  key: string;
  version: number;
  hash: string;
  name?: string;
  deployer: string;
  deployedAt: string;
  xml: string;
  model: M;
}

export type DeployedDefinition = Deployed<ProcessModel>;
export type DefinitionSummary = Omit<Deployed<unknown>, 'xml' | 'model'>;

export type DeployOutcome<M = ProcessModel> =
  | { ok: true; definition: Deployed<M>; created: boolean }
  | { ok: false; diagnostics: Diagnostic[] };

/** What a store needs from its compiler: the model's key, content hash and name, or diagnostics. */
type Compiled<M> =
  | { ok: true; key: string; hash: string; name?: string; model: M }
  | { ok: false; diagnostics: Diagnostic[] };

class VersionedStore<M> {
  private readonly byKey = new Map<string, Deployed<M>[]>();

  constructor(
    private readonly dir: string,
    private readonly compileSource: (source: string | Uint8Array) => Promise<Compiled<M>>,
    /** The model as stored under its assigned version. */
    private readonly stamp: (model: M, version: number) => M = (model) => model,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const key of readdirSync(dir)) {
      const versions = readdirSync(join(dir, key))
        .filter((f) => /^\d+\.json$/.test(f))
        .map((f) => JSON.parse(readFileSync(join(dir, key, f), 'utf8')) as Deployed<M>)
        .sort((a, b) => a.version - b.version);
      if (versions.length > 0) this.byKey.set(key, versions);
    }
  }

  /** Compiles and, when it is new, stores the next version. `beforeStore` may veto by throwing. */
  async deploy(
    source: string | Uint8Array,
    deployer: string,
    beforeStore?: (def: Deployed<M>) => Promise<void>,
  ): Promise<DeployOutcome<M>> {
    const compiled = await this.compileSource(source);
    if (!compiled.ok) return { ok: false, diagnostics: compiled.diagnostics };
    const versions = this.byKey.get(compiled.key) ?? [];
    const latest = versions.at(-1);
    if (latest && latest.hash === compiled.hash) return { ok: true, definition: latest, created: false };

    const version = (latest?.version ?? 0) + 1;
    const definition: Deployed<M> = {
      key: compiled.key,
      version,
      hash: compiled.hash,
      name: compiled.name,
      deployer,
      deployedAt: new Date().toISOString(),
      xml: typeof source === 'string' ? source : new TextDecoder().decode(source),
      model: this.stamp(compiled.model, version),
    };
    await beforeStore?.(definition);
    const keyDir = join(this.dir, definition.key);
    mkdirSync(keyDir, { recursive: true });
    const file = join(keyDir, `${version}.json`);
    if (existsSync(file)) throw new Error(`definition ${definition.key} v${version} already exists on disk`);
    writeFileSync(`${file}.tmp`, JSON.stringify(definition));
    renameSync(`${file}.tmp`, file); // a crash never leaves half a definition
    this.byKey.set(definition.key, [...versions, definition]);
    return { ok: true, definition, created: true };
  }

  get(key: string, version?: number): Deployed<M> | undefined {
    const versions = this.byKey.get(key);
    return version === undefined ? versions?.at(-1) : versions?.find((d) => d.version === version);
  }

  versions(key: string): DefinitionSummary[] {
    return (this.byKey.get(key) ?? []).map(summary);
  }

  /** The latest version of every key. */
  latestDeployed(): Deployed<M>[] {
    return [...this.byKey.values()].map((versions) => versions.at(-1)!);
  }

  latest(): DefinitionSummary[] {
    return this.latestDeployed().map(summary);
  }
}

/** BPMN processes. */
export class DefinitionStore extends VersionedStore<ProcessModel> {
  constructor(dir: string) {
    super(
      dir,
      async (source) => {
        const result = await compile(source);
        if (!result.ok) return result;
        const { key, hash, name } = result.model;
        return { ok: true, key, hash, name, model: result.model };
      },
      (model, version) => ({ ...model, version }),
    );
  }
}

/** DMN decision models, keyed by their definitions id. */
export class DecisionStore extends VersionedStore<DecisionGraph> {
  constructor(dir: string) {
    super(dir, async (source) => {
      const result = await compileDecisions(source);
      if (!result.ok) return result;
      return {
        ok: true,
        key: result.graph.id,
        hash: result.hash,
        name: result.graph.name,
        model: result.graph,
      };
    });
  }
}

/**
 * What the ledger registers for a deployed process: its XML hash, the hash of the compiled model
 * as stored (the one workers are given), and what decides its steps, by element id. Step calls
 * take their rule or decision from this registration, never from the model a worker holds.
 */
export function processRegistration(def: DeployedDefinition): ProcessRegistration {
  const rules: Record<string, ApprovalRule> = {};
  const decisionCalls: Record<string, string> = {};
  for (const element of Object.values(def.model.elements)) {
    if ('rule' in element && element.rule) rules[element.id] = element.rule;
    if (element.kind === 'businessRuleTask' && element.decision)
      decisionCalls[element.id] = element.decision.decisionId;
  }
  return {
    key: def.key,
    version: def.version,
    hash: def.hash,
    deployer: def.deployer,
    modelHash: modelHash(def.model),
    rules,
    decisionCalls,
  };
}

export function summary({ xml: _xml, model: _model, ...rest }: Deployed<unknown>): DefinitionSummary {
  return rest;
}
