// bpmnlint 11 ships JSDoc types for its internals (lib/types.d.ts) but no declaration for its
// entry point or its rule modules; this is the slice definitions/lint/bpmnlint.ts uses.
declare module 'bpmnlint' {
  export type ModdleNode = any;

  export interface Reporter {
    report(id: string | undefined, message: string, path?: string[] | Record<string, unknown>): void;
  }

  export type EnterFn = (node: ModdleNode, reporter: Reporter) => boolean | undefined;
  export type LeaveFn = (node: ModdleNode, reporter: Reporter) => void;

  export interface RuleDefinition {
    meta?: { documentation?: { url?: string } };
    check: EnterFn | { enter?: EnterFn; leave?: LeaveFn };
  }

  export type RuleFactory = (config?: unknown) => RuleDefinition;
  export type RuleSeverity = 'off' | 'warn' | 'error' | 'info';

  export interface Config {
    extends?: string | string[];
    rules?: Record<string, RuleSeverity>;
  }

  export interface Resolver {
    resolveRule(pkg: string, ruleName: string): RuleFactory | Promise<RuleFactory>;
    resolveConfig(pkg: string, configName: string): Config | Promise<Config>;
  }

  export interface Report {
    id?: string;
    message: string;
    path?: string[];
    category: 'warn' | 'error' | 'info' | 'rule-error';
    /** Anything else the rule passed in its report's context. */
    [key: string]: unknown;
  }

  export class Linter {
    constructor(options: {
      config?: Config;
      resolver: Resolver;
      transformRule?: (rule: RuleDefinition, options: { pkg: string; ruleName: string }) => RuleDefinition;
    });
    lint(definitions: ModdleNode, config?: Config): Promise<Record<string, Report[] | undefined>>;
  }
}

declare module 'bpmnlint/rules/*' {
  const factory: import('bpmnlint').RuleFactory;
  export default factory;
}
