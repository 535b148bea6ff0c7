/**
 * Shared setup for the tests of the Service Catalog fake (test/e2e/service-catalog-fake-*.test.ts),
 * which exercise it through the real @aws-sdk/client-service-catalog. `useFake()` registers the
 * hooks in the calling test file: each file gets its own fake, and each test a new fake on a new
 * ManualClock, so a record's status depends on how far the test moved the clock, never on the
 * machine's load.
 */
import * as http from 'http';
import {
  DescribeRecordCommand, DescribeRecordCommandOutput, RecordStatus, SearchProvisionedProductsCommand,
  SearchProvisionedProductsCommandInput, ServiceCatalogClient, ServiceCatalogClientConfig,
  UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { ManualClock, ServiceCatalogFake } from '../service-catalog-fake';

export const ACCOUNT = '123456789012';
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/team/alice`;
export const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
export const LAUNCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/SCLaunchRole`;
export const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/fake-caller/fake-session`;

const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_ENDPOINT_URL_SERVICE_CATALOG'] as const;

export interface FakeTest {
  /**
   * The running test's fake, started before it with a product `pp-main` (150 ms records). A test
   * may stop it and assign another: the one held here is stopped after the test.
   */
  fake: ServiceCatalogFake;
  /** The running test's clock, which the fake reads. */
  readonly clock: ManualClock;
  /** Clients destroyed after the test; client() adds its own. */
  readonly clients: ServiceCatalogClient[];
  /** A client pointed at the fake with an explicit endpoint; credentials and region come from the env. */
  client(config?: Partial<ServiceCatalogClientConfig>): ServiceCatalogClient;
  /**
   * Reads DescribeRecord until a terminal status, moving the fake's clock `stepMs` after each
   * read; returns every status seen, in order, and the fake's time of the terminal read.
   */
  pollRecord(c: ServiceCatalogClient, recordId: string, stepMs?: number, maxReads?: number):
    Promise<{ seen: RecordStatus[]; last: DescribeRecordCommandOutput; seenAt: number }>;
  /** A raw HTTP POST to the fake, to check the wire format the SDK hides. */
  rawPost(target: string | undefined, body: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: any }>;
}

/**
 * Registers, in the calling test file, the hooks that set the SDK's env (restored after the
 * file) and start a fake on a ManualClock before each test (stopped after it, with the test's
 * clients); the returned object's `fake` and `clock` are filled in by the time a test runs.
 * Its helpers are bound to it, so they can be destructured.
 */
export function useFake(): FakeTest {
  const savedEnv: Partial<Record<string, string>> = {};
  const ctx = { clients: [] as ServiceCatalogClient[] } as { -readonly [K in keyof FakeTest]: FakeTest[K] };

  beforeAll(() => {
    for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFAKEFAKEFAKE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
    process.env.AWS_REGION = 'us-east-1';
    delete process.env.AWS_ENDPOINT_URL_SERVICE_CATALOG;
  });

  afterAll(() => {
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
  });

  beforeEach(async () => {
    ctx.clock = new ManualClock();
    ctx.fake = await ServiceCatalogFake.start({ clock: ctx.clock });
    ctx.fake.addProduct({ id: 'pp-main', name: 'main-product', recordDurationMs: 150 });
  });

  afterEach(async () => {
    // Emptied in place: a test file may hold the array itself.
    for (const c of ctx.clients.splice(0)) c.destroy();
    await ctx.fake.stop();
  });

  ctx.client = (config = {}) => {
    const c = new ServiceCatalogClient({ endpoint: ctx.fake.endpoint, ...config });
    ctx.clients.push(c);
    return c;
  };

  ctx.pollRecord = async (c, recordId, stepMs = 10, maxReads = 1000) => {
    const seen: RecordStatus[] = [];
    let last: DescribeRecordCommandOutput | undefined;
    for (let reads = 0; reads < maxReads; reads++) {
      last = await c.send(new DescribeRecordCommand({ Id: recordId }));
      const status = last.RecordDetail!.Status!;
      if (seen[seen.length - 1] !== status) seen.push(status);
      if (status === 'SUCCEEDED' || status === 'FAILED') break;
      ctx.clock.advance(stepMs);
    }
    return { seen, last: last!, seenAt: ctx.clock.now() };
  };

  ctx.rawPost = (target, body) => new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/x-amz-json-1.1' };
    if (target) headers['X-Amz-Target'] = `AWS242ServiceCatalogService.${target}`;
    const req = http.request(ctx.fake.endpoint, { method: 'POST', agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(body);
  });

  return ctx;
}

export function update(c: ServiceCatalogClient, properties: Record<string, string>, token?: string, id = 'pp-main') {
  return c.send(new UpdateProvisionedProductPropertiesCommand({
    ProvisionedProductId: id, ProvisionedProductProperties: properties, IdempotencyToken: token,
  }));
}

/** Resolves with the error the promise rejects with; fails the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every page of a Search, following NextPageToken: the ids on each page. */
export async function searchPages(c: ServiceCatalogClient, input: SearchProvisionedProductsCommandInput): Promise<string[][]> {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const out = await c.send(new SearchProvisionedProductsCommand({ ...input, PageToken: token }));
    pages.push((out.ProvisionedProducts ?? []).map((p) => p.Id!));
    token = out.NextPageToken;
  } while (token !== undefined && pages.length < 100);
  return pages;
}

/** What the handler reads: Search at the account level for `id:<id>`; undefined when not listed. */
export async function searchOwner(c: ServiceCatalogClient, id: string) {
  const out = await c.send(new SearchProvisionedProductsCommand({
    AccessLevelFilter: { Key: 'Account', Value: 'self' }, Filters: { SearchQuery: [`id:${id}`] },
  }));
  const found = out.ProvisionedProducts?.find((p) => p.Id === id);
  return found && { UserArn: found.UserArn, UserArnSession: found.UserArnSession };
}
