/**
 * Lambda's execution environments, as the bench plays them: a pool of containers per function.
 * An invocation reuses an idle container of its function; when every container is busy, a new
 * one starts, with a fresh module instance of the bundle (so its own SDK client, connection pool
 * and retry state, as on AWS), not one shared client for all. A container whose invocation timed
 * out is discarded, as Lambda does. The bundle is compiled once; each container runs its module
 * code anew (Node's CommonJS wrapper), which is what a cold start does.
 */
import { readFileSync } from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';
import type { Context } from 'aws-lambda';
import type { LambdaHandler } from '../test/e2e/framework-harness';

type Exports = Record<string, unknown>;
type Wrapper = (exports: Exports, require: NodeJS.Require, module: { exports: Exports }, filename: string, dirname: string) => void;

/** One compiled bundle: every call of `instantiate` is a new module instance of it. */
export class Bundle {
  private readonly wrapper: Wrapper;
  private readonly require: NodeJS.Require;

  constructor(readonly file: string) {
    const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file });
    this.wrapper = script.runInThisContext() as Wrapper;
    this.require = Module.createRequire(file);
  }

  instantiate(): Exports {
    const module = { exports: {} as Exports };
    this.wrapper.call(module.exports, module.exports, this.require, module, this.file, path.dirname(this.file));
    return module.exports;
  }
}

interface Container {
  readonly id: number;
  readonly exports: Exports;
  busy: boolean;
}

export interface PoolStats {
  /** Containers started (cold starts), per function. */
  readonly containers: Record<string, number>;
  /** The most containers of a function busy at once. */
  readonly peakConcurrency: Record<string, number>;
  /** Containers discarded after a timed-out invocation. */
  readonly discarded: number;
  /** Time spent running module code at cold starts, in ms. */
  readonly initMs: number;
}

export class ContainerPool {
  private readonly idle = new Map<string, Container[]>();
  private readonly busyCount = new Map<string, number>();
  private readonly started: Record<string, number> = {};
  private readonly peak: Record<string, number> = {};
  private discarded = 0;
  private initMs = 0;
  private nextId = 1;

  constructor(private readonly bundle: Bundle) {}

  /** Handlers for the harness, by export name: each invocation is routed to a container of its function. */
  handlers(...exportNames: string[]): Record<string, LambdaHandler> {
    return Object.fromEntries(exportNames.map((name) => [name, (event: unknown, context: Context) => this.invoke(name, event, context)]));
  }

  stats(): PoolStats {
    return { containers: { ...this.started }, peakConcurrency: { ...this.peak }, discarded: this.discarded, initMs: this.initMs };
  }

  private async invoke(name: string, event: unknown, context: Context): Promise<unknown> {
    const container = this.acquire(name);
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    try {
      const handler = container.exports[name] as LambdaHandler;
      return await handler(event, context);
    } finally {
      this.busyCount.set(name, (this.busyCount.get(name) ?? 1) - 1);
      container.busy = false;
      // Lambda discards an environment whose invocation timed out; a finished one is kept warm.
      if (Date.now() >= deadline) this.discarded++;
      else this.idle.get(name)!.push(container);
    }
  }

  private acquire(name: string): Container {
    const idle = this.idle.get(name) ?? [];
    this.idle.set(name, idle);
    let container = idle.pop();
    if (!container) {
      const start = process.hrtime.bigint();
      container = { id: this.nextId++, exports: this.bundle.instantiate(), busy: false };
      this.initMs += Number(process.hrtime.bigint() - start) / 1e6;
      this.started[name] = (this.started[name] ?? 0) + 1;
    }
    container.busy = true;
    const busy = (this.busyCount.get(name) ?? 0) + 1;
    this.busyCount.set(name, busy);
    this.peak[name] = Math.max(this.peak[name] ?? 0, busy);
    return container;
  }
}
