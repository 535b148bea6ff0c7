/**
 * One run of "many at once, throttled": a stack of N declarations on N distinct products (owner
 * plus one shared launch role), every Create sent at once through aws-cdk-lib's provider-framework
 * runtime (the e2e harness), as CloudFormation creates independent resources in parallel. Every
 * Lambda invocation runs in a container of a pool (container-pool.ts): its own module instance,
 * hence its own SDK client and retry state. The Service Catalog fake throttles the whole account
 * with a token bucket per operation and answers ThrottlingException past it.
 */
import { OPERATIONS, OperationName } from '../test/e2e/service-catalog-fake/model-constraints';
import { CUSTOM_RESOURCE_TYPE, TemplateJson, createRequest, resourceOf } from '../test/e2e/cloudformation-request';
import { CapturedResponse, FrameworkHarness } from '../test/e2e/framework-harness';
import { ServiceCatalogFake } from '../test/e2e/service-catalog-fake';
import { Bundle, ContainerPool, PoolStats } from './container-pool';
import { ACCOUNT, Variant } from './stacks';
import { gbSeconds, memoryByHandler, withServiceCatalogEnv } from './fake-env';

export interface ThrottleRate { readonly ratePerSecond: number; readonly burst: number }

export interface ScaleRunOptions {
  readonly variant: Variant;
  readonly template: TemplateJson;
  readonly bundle: Bundle;
  readonly throttle: ThrottleRate;
  /** How long a record takes; 0: it completes at once. */
  readonly recordDurationMs: number;
  /** The run's bound: a response not received by then counts as a failure. */
  readonly timeoutMs: number;
}

export interface OperationCounts {
  /** Calls the service answered (took a token), any answer. */
  readonly answered: number;
  /** Calls refused with ThrottlingException by the bucket. */
  readonly throttled: number;
}

export interface ScaleRun {
  readonly variant: Variant;
  readonly n: number;
  readonly successes: number;
  readonly failures: number;
  /** Up to five failure reasons with different first lines, for the report. */
  readonly failureReasons: readonly string[];
  /** First request sent to last response received (or the run's bound). */
  readonly wallMs: number;
  readonly byOperation: Record<OperationName, OperationCounts>;
  /** Per instance: UpdateProvisionedProductProperties calls the service answered. */
  readonly answeredWritesPerInstance: readonly number[];
  /** Per instance: records created. */
  readonly recordsPerInstance: readonly number[];
  /** UpdateProvisionedProductProperties calls (throttled ones included) that reached the fake while a record of their product ran. */
  readonly writesWhileRecordRuns: number;
  readonly invocations: { readonly onEvent: number; readonly isComplete: number };
  /** Lambda GB-seconds of all invocations: template MemorySize × duration, rounded up to 1 ms as billed. */
  readonly gbSeconds: number;
  readonly pool: PoolStats;
}

export async function runScale(options: ScaleRunOptions): Promise<ScaleRun> {
  const { template } = options;
  const logicalIds = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === CUSTOM_RESOURCE_TYPE);
  const resources = logicalIds.map((id) => resourceOf(template, id));
  const fake = await ServiceCatalogFake.start({ accountId: ACCOUNT, defaultRecordDurationMs: options.recordDurationMs });
  return withServiceCatalogEnv(fake, async () => {
    const productIds = resources.map((r) => String(r.properties.ProvisionedProductId));
    for (const id of productIds) fake.addProduct({ id });
    fake.configure({ throttle: options.throttle });
    const pool = new ContainerPool(options.bundle);
    const harness = new FrameworkHarness({ template, handlers: pool.handlers('onEvent', 'isComplete') });
    const requests = resources.map((r) => createRequest(r));
    const started = Date.now();
    const outcomes = await Promise.allSettled(requests.map((request) => harness.send(request, options.timeoutMs)));
    const ended = Date.now();
    await harness.stop();
    const responses = outcomes.filter((o): o is PromiseFulfilledResult<CapturedResponse> => o.status === 'fulfilled').map((o) => o.value);
    const successes = responses.filter((r) => r.Status === 'SUCCESS');
    const failureReasons = [
      ...responses.filter((r) => r.Status !== 'SUCCESS').map((r) => r.Reason),
      ...outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => String(o.reason?.message ?? o.reason)),
    ];
    const lastAt = responses.length === requests.length ? Math.max(...responses.map((r) => r.at)) : ended;
    return {
      variant: options.variant, n: requests.length, successes: successes.length, failures: requests.length - successes.length,
      failureReasons: [...new Map(failureReasons.map((r) => [r.split('\n')[0], r.slice(0, 300)] as const)).values()].slice(0, 5),
      wallMs: lastAt - started,
      byOperation: countByOperation(fake),
      ...writesOf(fake, productIds),
      invocations: {
        onEvent: harness.invocations.filter((i) => i.handler === 'onEvent').length,
        isComplete: harness.invocations.filter((i) => i.handler === 'isComplete').length,
      },
      gbSeconds: gbSeconds(harness.invocations, memoryByHandler(template)),
      pool: pool.stats(),
    };
  }).finally(() => fake.stop());
}

function countByOperation(fake: ServiceCatalogFake): Record<OperationName, OperationCounts> {
  return Object.fromEntries(OPERATIONS.map((op) => {
    const calls = fake.callsOf(op);
    const throttled = calls.filter((c) => c.outcome === 'throttled').length;
    return [op, { answered: calls.length - throttled, throttled }];
  })) as Record<OperationName, OperationCounts>;
}

function writesOf(fake: ServiceCatalogFake, productIds: readonly string[]) {
  const updates = fake.callsOf('UpdateProvisionedProductProperties');
  const records = productIds.map((id) => fake.records(id).filter((r) => r.type === 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES'));
  const runningAt = (id: string, at: number) => fake.records(id)
    .some((r) => r.type === 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES' && r.createdAt < at && (r.terminalAt === undefined || at < r.terminalAt));
  return {
    answeredWritesPerInstance: productIds.map((id) => updates.filter((c) => c.input.ProvisionedProductId === id && c.outcome !== 'throttled').length),
    recordsPerInstance: records.map((rs) => rs.length),
    writesWhileRecordRuns: updates.filter((c) => runningAt(c.input.ProvisionedProductId, c.at)).length,
  };
}
