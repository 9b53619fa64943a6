// Deployed process definitions, one JSON file per version under <data>/definitions/<key>/.
// Versions are numbered per key; deploying the same XML again returns the existing version.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../definitions/index.ts';
import type { Diagnostic, ProcessModel } from '../definitions/model.ts';

export interface DeployedDefinition {
  key: string;
  version: number;
  hash: string;
  name?: string;
  deployer: string;
  deployedAt: string;
  xml: string;
  model: ProcessModel;
}

export type DefinitionSummary = Omit<DeployedDefinition, 'xml' | 'model'>;

export type DeployOutcome =
  | { ok: true; definition: DeployedDefinition; created: boolean }
  | { ok: false; diagnostics: Diagnostic[] };

export class DefinitionStore {
  private readonly byKey = new Map<string, DeployedDefinition[]>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const key of readdirSync(dir)) {
      const versions = readdirSync(join(dir, key))
        .filter((f) => /^\d+\.json$/.test(f))
        .map((f) => JSON.parse(readFileSync(join(dir, key, f), 'utf8')) as DeployedDefinition)
        .sort((a, b) => a.version - b.version);
      if (versions.length > 0) this.byKey.set(key, versions);
    }
  }

  /** Compiles and, when it is new, stores the next version. `beforeStore` may veto by throwing. */
  async deploy(
    xml: string | Uint8Array,
    deployer: string,
    beforeStore?: (def: DeployedDefinition) => Promise<void>,
  ): Promise<DeployOutcome> {
    const compiled = await compile(xml);
    if (!compiled.ok) return { ok: false, diagnostics: compiled.diagnostics };
    const versions = this.byKey.get(compiled.model.key) ?? [];
    const latest = versions.at(-1);
    if (latest && latest.hash === compiled.model.hash)
      return { ok: true, definition: latest, created: false };

    const version = (latest?.version ?? 0) + 1;
    const definition: DeployedDefinition = {
      key: compiled.model.key,
      version,
      hash: compiled.model.hash,
      name: compiled.model.name,
      deployer,
      deployedAt: new Date().toISOString(),
      xml: typeof xml === 'string' ? xml : new TextDecoder().decode(xml),
      model: { ...compiled.model, version },
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

  get(key: string, version?: number): DeployedDefinition | undefined {
    const versions = this.byKey.get(key);
    return version === undefined ? versions?.at(-1) : versions?.find((d) => d.version === version);
  }

  versions(key: string): DefinitionSummary[] {
    return (this.byKey.get(key) ?? []).map(summary);
  }

  latest(): DefinitionSummary[] {
    return [...this.byKey.values()].map((versions) => summary(versions.at(-1)!));
  }
}

export function summary({ xml: _xml, model: _model, ...rest }: DeployedDefinition): DefinitionSummary {
  return rest;
}
