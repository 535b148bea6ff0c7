/**
 * Detection lag in virtual time, for records too long to wait for in a bench (10 minutes): the
 * handler's own code (lambda/deploy/handlers.ts, the source the bundle is built from) with a virtual
 * clock, played by a loop with the waiter settings of the synthesized state machine (interval,
 * backoff) and the isComplete timeout of the template. Service Catalog is a stub answering from a
 * record timeline like the fake's (CREATED, IN_PROGRESS from 10%, SUCCEEDED at its length); calls
 * and invocations take no virtual time, so the figures are the schedule's, not a network's.
 * Not a measurement in real time: the report says so.
 */
import { memorySsm } from '../test/lambda/ssm-memory';
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient,
  UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { isComplete, onEvent } from '../lambda/deploy/handlers';
import { HandlerDeps } from '../lambda/runtime';
import { IsCompleteRequest } from '../lambda/types';
import { TemplateResource, createRequest } from '../test/e2e/cloudformation-request';
import type { WaiterSettings } from '../test/e2e/framework-harness';
import { ACCOUNT } from './stacks';

export interface LagRun {
  readonly lagMs: number;
  readonly describeRecordCalls: number;
  /** Start times of the DescribeRecord calls, ms after the record was created. */
  readonly describeRecordAt: readonly number[];
  /** Every invocation, onEvent first: start and end, ms after the record was created. */
  readonly invocations: ReadonlyArray<{ readonly handler: 'onEvent' | 'isComplete'; readonly start: number; readonly end: number }>;
}

export interface VirtualSetup {
  readonly resource: TemplateResource;
  readonly waiter: WaiterSettings;
  readonly isCompleteTimeoutMs: number;
}

/** A deterministic generator in [0, 1), so that runs with the same seed are the same. */
function seeded(seed: number): () => number {
  let x = (seed * 2654435761) >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

/** One Create of our resource whose record takes `durationMs`, from onEvent to the SUCCESS the framework would send. */
export async function runVirtual(setup: VirtualSetup, durationMs: number, seed: number): Promise<LagRun> {
  let now = Date.UTC(2026, 0, 1);
  let invocationEnd = Infinity;
  let createdAt: number | undefined;
  const describeRecordAt: number[] = [];
  const statusAt = (t: number) => (createdAt === undefined || t < createdAt ? 'CREATED'
    : t >= createdAt + durationMs ? 'SUCCEEDED' : t >= createdAt + durationMs * 0.1 ? 'IN_PROGRESS' : 'CREATED');
  const productId = 'pp-virtual0000001';
  const client = {
    send: async (command: unknown) => {
      if (command instanceof DescribeProvisionedProductCommand) {
        return { ProvisionedProductDetail: { Id: productId, Status: 'AVAILABLE', LaunchRoleArn: `arn:aws:iam::${ACCOUNT}:role/Previous` } };
      }
      if (command instanceof SearchProvisionedProductsCommand) {
        return { ProvisionedProducts: [{ Id: productId, Status: 'AVAILABLE', UserArn: `arn:aws:iam::${ACCOUNT}:user/previous` }] };
      }
      if (command instanceof UpdateProvisionedProductPropertiesCommand) {
        createdAt = now;
        return { RecordId: 'rec-virtual0000001', Status: 'CREATED', $metadata: {} };
      }
      if (command instanceof DescribeRecordCommand) {
        describeRecordAt.push(now);
        return { RecordDetail: { RecordId: 'rec-virtual0000001', Status: statusAt(now), RecordErrors: [] }, $metadata: { attempts: 1 } };
      }
      throw new Error(`the virtual service does not answer ${(command as object).constructor.name}`);
    },
  } as unknown as ServiceCatalogClient;
  const deps: HandlerDeps = {
    client, cloudFormation: undefined as never, ssm: memorySsm(), now: () => now, sleep: async (ms) => { now += ms; }, log: () => undefined,
    random: seeded(seed), remainingMs: () => invocationEnd - now,
  };
  const invocations: Array<{ handler: 'onEvent' | 'isComplete'; start: number; end: number }> = [];
  const invoke = async <T>(handler: 'onEvent' | 'isComplete', timeoutMs: number, run: () => Promise<T>): Promise<T> => {
    const start = now;
    invocationEnd = start + timeoutMs;
    try {
      return await run();
    } finally {
      invocations.push({ handler, start, end: now });
    }
  };
  // The template's ProductId parameter (bench stacks declare one template for many products).
  const request = createRequest(setup.resource, { resolve: { ProductId: productId } });
  const onEventResult = await invoke('onEvent', 300_000, () => onEvent(request, deps));
  // The framework's isComplete event: the request with onEvent's result merged in.
  const event = { ...request, ...onEventResult } as IsCompleteRequest;
  const { intervalSeconds, backoffRate, maxAttempts } = setup.waiter;
  for (let retries = 0; retries <= maxAttempts; retries++) {
    const result = await invoke('isComplete', setup.isCompleteTimeoutMs, () => isComplete(event, deps));
    if (result.IsComplete) {
      const t0 = createdAt!;
      return {
        lagMs: now - (t0 + durationMs), describeRecordCalls: describeRecordAt.length,
        describeRecordAt: describeRecordAt.map((t) => t - t0),
        invocations: invocations.map((i) => ({ ...i, start: i.start - t0, end: i.end - t0 })),
      };
    }
    now += intervalSeconds * 1000 * backoffRate ** retries;
  }
  throw new Error(`a virtual record of ${durationMs} ms did not complete within the waiter's attempts`);
}

/**
 * The baseline in virtual time: its isComplete reads DescribeRecord once per invocation
 * (bench/baseline/handler.ts), so the waiter's grid sets every poll; each invocation is given
 * the duration measured for the baseline's isComplete in this run.
 */
export function baselineModel(waiter: WaiterSettings, durationMs: number, invocationMs: number, onEventMs: number): LagRun {
  const invocations: Array<{ handler: 'onEvent' | 'isComplete'; start: number; end: number }> = [{ handler: 'onEvent', start: -onEventMs, end: 0 }];
  const describeRecordAt: number[] = [];
  let t = 0;
  for (let retries = 0; retries <= waiter.maxAttempts; retries++) {
    invocations.push({ handler: 'isComplete', start: t, end: t + invocationMs });
    describeRecordAt.push(t);
    if (t >= durationMs) {
      return { lagMs: t + invocationMs - durationMs, describeRecordCalls: describeRecordAt.length, describeRecordAt, invocations };
    }
    t += invocationMs + waiter.intervalSeconds * 1000 * waiter.backoffRate ** retries;
  }
  throw new Error('the baseline model ran out of waiter attempts');
}
