/**
 * Setup for the tests of the SSM fake (test/e2e/ssm-fake*.test.ts), through the real
 * @aws-sdk/client-ssm: each test gets a new fake, with the easiest readings, on its own ManualClock,
 * and clients that do not retry (so a refusal is seen as the fake answered it).
 */
import { SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm';
import { ManualClock } from '../service-catalog-fake/clock';
import { SsmFake, SsmFakeOptions } from './server';
import { SSM_EASIEST } from './switches';

export const ACCOUNT = '123456789012';

const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_ENDPOINT_URL_SSM'] as const;

export interface SsmFakeTest {
  fake: SsmFake;
  clock: ManualClock;
  /** A client pointed at the running test's fake (no retries unless `config` says so), destroyed after the test. */
  client(config?: Partial<SSMClientConfig>): SSMClient;
}

/** The error a promise rejects with, or a failure if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

/** Registers the hooks in the calling file; `options` are the fake's for every test of it. */
export function useSsmFake(options: SsmFakeOptions = {}): SsmFakeTest {
  const saved: Partial<Record<string, string>> = {};
  const clients: SSMClient[] = [];
  const ctx = {} as SsmFakeTest;
  ctx.client = (config = {}) => {
    const c = new SSMClient({ endpoint: ctx.fake.endpoint, maxAttempts: 1, ...config });
    clients.push(c);
    return c;
  };
  beforeAll(() => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'local-fake-secret', AWS_REGION: 'us-east-1' });
    delete process.env.AWS_ENDPOINT_URL_SSM;
  });
  afterAll(() => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
  beforeEach(async () => {
    ctx.clock = new ManualClock(Date.UTC(2026, 0, 1));
    ctx.fake = await SsmFake.start({ ...SSM_EASIEST, clock: ctx.clock, ...options });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await ctx.fake.stop();
  });
  return ctx;
}
