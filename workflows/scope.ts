// A scope is one running instance of a process, sub-process, multi-instance iteration or activity:
// its local variables, the tokens moving in it, and the cancellation that ends them together.
import { CancellationScope, condition } from '@temporalio/workflow';
import type { Armed, BodyWait, ParkedWait } from './continue-as-new.ts';
import type { Variables } from './state.ts';

/** What a token (or running event sub-process) of a scope waits at, for continue-as-new; undefined while it cannot be carried. */
export type Carry = () => ParkedWait | undefined;

export class Scope {
  readonly vars: Variables = {};
  /** Tokens of this scope, by token id -> element id where each one is. */
  readonly positions = new Map<number, string>();
  /** Arrivals at parallel joins of this scope instance. */
  readonly joinArrivals = new Map<string, number>();
  /** Inclusive joins with a token waiting on them, and how many more merged into it. */
  readonly inclusiveWaits = new Map<string, number>();
  /** Completed activities with a compensation handler, newest last. */
  readonly compensable: { activityId: string; handlerId: string; scope: Scope }[] = [];
  /** Tokens and event sub-process instances of this scope at a wait continue-as-new can carry over. */
  readonly waits = new Set<Carry>();
  /** While the activity this scope executes waits (a task, a receive, its sub-process's tokens). */
  body?: () => BodyWait | undefined;
  /** Where the start listener of each of this scope's event sub-processes is; `done` once it fired for good. */
  readonly listeners = new Map<string, Armed>();
  /** Cancels every token of the scope (interrupting events, terminate, errors). */
  readonly cancellation: CancellationScope;
  private active = 0;
  private failure: { error: unknown } | undefined;

  constructor(
    readonly id: string,
    /** The sub-process or activity this scope executes; undefined for the process itself. */
    readonly ownerId: string | undefined,
    readonly parent?: Scope,
  ) {
    this.cancellation = new CancellationScope({ cancellable: true });
  }

  get root(): Scope {
    return this.parent ? this.parent.root : this;
  }

  /** The variables visible here: the scope's own over its parents'. */
  context(): Variables {
    return this.parent ? { ...this.parent.context(), ...this.vars } : { ...this.vars };
  }

  /** Camunda's propagation: update the variable where it is defined, else create it in the process. */
  set(name: string, value: unknown): void {
    let owner: Scope | undefined = this;
    while (owner && !(name in owner.vars)) owner = owner.parent;
    (owner ?? this.root).vars[name] = value;
  }

  setAll(values: Variables): void {
    for (const [name, value] of Object.entries(values)) this.set(name, value);
  }

  /** Runs `token` as one more token of this scope, under its cancellation. */
  spawn(token: () => Promise<void>): void {
    this.active += 1;
    this.cancellation.run(token).then(
      () => {
        this.active -= 1;
      },
      (error) => {
        this.active -= 1;
        this.failure ??= { error };
      },
    );
  }

  /** Resolves when every token has ended; rejects with the first token failure. */
  async settled(): Promise<void> {
    await condition(() => this.active === 0 || this.failure !== undefined);
    if (this.failure) throw this.failure.error;
  }

  /** How many tokens, event sub-process instances and boundary paths being started run in this scope. */
  get units(): number {
    return this.active;
  }

  /** A token failed or the scope was cancelled: it is ending. */
  get ending(): boolean {
    return this.failure !== undefined || this.cancellation.consideredCancelled;
  }

  /** Ids of elements where tokens of this scope currently are. */
  occupied(): string[] {
    return [...this.positions.values()];
  }
}
