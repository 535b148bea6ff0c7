/**
 * Reads only while waiting: once a change has started, whatever path started it, no
 * UpdateProvisionedProductProperties call is made while its record runs. Counted on the
 * many-at-once runs (changes started by onEvent) and on three single-resource paths whose wait
 * crosses isComplete invocations: started by onEvent; started by isComplete after onEvent's call
 * got no answer; started by isComplete after the product was busy.
 */
import { FrameworkHarness } from '../test/e2e/framework-harness';
import { CloudFormationRequest, createRequest, resourceOf } from '../test/e2e/cloudformation-request';
import { ServiceCatalogFake } from '../test/e2e/service-catalog-fake';
import { RETRY } from '../lambda/service-catalog';
import { ASSET } from './cold-start';
import { Bundle, ContainerPool } from './container-pool';
import { withServiceCatalogEnv } from './fake-env';
import { SectionResult, Table, Target, fmt, stats, target } from './report';
import { ScaleRun } from './scale-run';
import { ACCOUNT, buildAndSynthesize } from './stacks';

/** Long enough to outlast several isComplete invocations at the shortened timeout. */
const RECORD_MS = 12_000;
/** isComplete's timeout, shortened from 2 minutes so that a 20 s wait crosses invocations (10 s of it is the handler's margin). */
const IS_COMPLETE_TIMEOUT_MS = 13_000;
const BUSY_FOR_MS = 2_000;

interface PathResult {
  readonly path: string;
  readonly status: string;
  readonly updateCalls: number;
  readonly answered: number;
  readonly refused: number;
  readonly created: number;
  readonly replayed: number;
  readonly whileRecordRuns: number;
  readonly isCompleteInvocations: number;
}

async function runPaths(): Promise<PathResult[]> {
  const { template } = buildAndSynthesize({ variant: 'ours', n: 3, roles: 'shared' });
  const resources = Object.keys(template.Resources).filter((id) => template.Resources[id].Type.startsWith('Custom::')).map((id) => resourceOf(template, id));
  const ids = resources.map((r) => String(r.properties.ProvisionedProductId));
  const fake = await ServiceCatalogFake.start({ accountId: ACCOUNT, defaultRecordDurationMs: RECORD_MS });
  return withServiceCatalogEnv(fake, async () => {
    const pool = new ContainerPool(new Bundle(ASSET));
    const harness = new FrameworkHarness({ template, handlers: pool.handlers('onEvent', 'isComplete'), functionTimeoutMs: { isComplete: IS_COMPLETE_TIMEOUT_MS } });
    const requests = resources.map((r) => createRequest(r));
    const send = (request: CloudFormationRequest) => harness.send(request, 120_000);
    const [onEventPath, noAnswerPath, busyPath] = ids;
    fake.addProduct({ id: onEventPath });
    fake.addProduct({ id: noAnswerPath });
    fake.addProduct({ id: busyPath, status: 'UNDER_CHANGE' });
    // Connection resets never reach the service; as many as the SDK attempts, so onEvent's call gets no answer.
    fake.injectFaults('UpdateProvisionedProductProperties', ...Array.from({ length: RETRY.maxAttempts }, () => ({ kind: 'reset' as const })));
    const noAnswer = send(requests[1]);
    await until(() => fake.pendingFaults('UpdateProvisionedProductProperties') === 0, 30_000);
    const busyFreed = setTimeout(() => fake.setProductStatus(busyPath, 'AVAILABLE'), BUSY_FOR_MS);
    const responses = await Promise.all([send(requests[0]), noAnswer, send(requests[2])]).finally(() => clearTimeout(busyFreed));
    await harness.stop();
    const labels = ['started by onEvent', `started by isComplete: onEvent's call got no answer (${RETRY.maxAttempts} connection resets)`,
      `started by isComplete: the product was UNDER_CHANGE for ${BUSY_FOR_MS / 1000} s`];
    return ids.map((id, i) => {
      const updates = fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id);
      const records = fake.records(id).filter((r) => r.type === 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES');
      return {
        path: labels[i], status: responses[i].Status, updateCalls: updates.length,
        answered: updates.filter((c) => c.effect !== undefined).length, refused: updates.filter((c) => c.effect === 'refused').length,
        created: updates.filter((c) => c.effect === 'created').length, replayed: updates.filter((c) => c.effect === 'replayed').length,
        whileRecordRuns: updates.filter((c) => records.some((r) => r.createdAt < c.at && (r.terminalAt === undefined || c.at < r.terminalAt))).length,
        isCompleteInvocations: harness.invocationsOf(responses[i].RequestId, 'isComplete').length,
      };
    });
  }).finally(() => fake.stop());
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function runWritePaths(scaleRuns: readonly ScaleRun[]): Promise<Omit<SectionResult, 'wallMs'>> {
  const paths = await runPaths();
  const range = (values: readonly number[]) => fmt.spread(stats(values), fmt.int);
  const scaleRows = scaleRuns.map((r) => [
    `${r.variant}: started by onEvent, N=${r.n} at once, throttled`, `${r.successes}/${r.n} SUCCESS`, '–',
    range(r.answeredWritesPerInstance), '–', range(r.recordsPerInstance), '–', String(r.writesWhileRecordRuns), '–',
  ]);
  const pathRows = paths.map((p) => [
    `ours: ${p.path}`, p.status, String(p.updateCalls), String(p.answered), String(p.refused), String(p.created), String(p.replayed),
    String(p.whileRecordRuns), String(p.isCompleteInvocations),
  ]);
  const table: Table = {
    title: 'Reads only while waiting: UpdateProvisionedProductProperties calls per instance, by the path that started the change',
    header: ['path', 'result', 'Update calls sent', 'answered', 'refused', 'write calls (records created)', 'replays',
      'Update calls while its record ran', 'isComplete invocations'],
    rows: [...scaleRows, ...pathRows],
    notes: [
      'Many-at-once rows: per instance, median (min–max). "answered" counts every answer but ThrottlingException; a refusal creates nothing. '
        + 'Calls while a record ran count every call, throttled ones included, that reached the fake between the creation of a record '
        + 'of that product and its end.',
      `Single-resource paths: unthrottled, records of ${RECORD_MS / 1000} s, isComplete's timeout shortened to ${IS_COMPLETE_TIMEOUT_MS / 1000} s `
        + `(${(IS_COMPLETE_TIMEOUT_MS - 10_000) / 1000} s of polling per invocation after the handler's 10 s margin) so that the wait crosses invocations within the bench.`,
      'On the busy path onEvent\'s call is refused (InvalidStateException) while another operation runs on the product; the change '
        + 'itself is one write, started by isComplete once the product is AVAILABLE.',
    ],
  };
  const oursScale = scaleRuns.filter((r) => r.variant === 'ours');
  const writes = [...oursScale.flatMap((r) => r.recordsPerInstance), ...paths.map((p) => p.created)];
  const whileRunning = [...oursScale.map((r) => r.writesWhileRecordRuns), ...paths.map((p) => p.whileRecordRuns)].reduce((a, b) => a + b, 0);
  const targets: Target[] = [
    target('W1', 'write calls (records created) per change, ours, every instance and path', `${Math.min(...writes)}–${Math.max(...writes)}`,
      'exactly 1', writes.every((w) => w === 1)),
    target('W2', 'Update calls while the change\'s record ran, ours, all paths', String(whileRunning), '0', whileRunning === 0),
  ];
  return { name: 'readsOnlyWhileWaiting', tables: [table], targets, data: { paths } };
}
