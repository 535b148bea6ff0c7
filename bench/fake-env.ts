/**
 * The environment a handler's SDK client reads when it is created: the Service Catalog fake's
 * endpoint, an SSM fake's for the ledger (started for the run, everything allowed), a region and
 * dummy credentials. Set for the duration of a run, then restored.
 */
import type { TemplateJson } from '../test/e2e/cloudformation-request';
import type { ServiceCatalogFake } from '../test/e2e/service-catalog-fake';
import { SsmFake } from '../test/e2e/ssm-fake/server';
import { REGION } from './stacks';

export async function withServiceCatalogEnv<T>(fake: ServiceCatalogFake, run: () => Promise<T>): Promise<T> {
  const ssm = await SsmFake.start({ region: REGION });
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_SERVICE_CATALOG: fake.endpoint, AWS_ENDPOINT_URL_SSM: ssm.endpoint, AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'local-fake-secret',
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await ssm.stop();
  }
}

/** MemorySize (MB) of the user functions the template names by Handler (`index.onEvent`, ...); Lambda's default is 128. */
export function memoryByHandler(template: TemplateJson): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of Object.values(template.Resources)) {
    const p = r.Properties as { Handler?: string; MemorySize?: number } | undefined;
    if (r.Type === 'AWS::Lambda::Function' && p?.Handler?.startsWith('index.')) out[p.Handler.slice('index.'.length)] = p.MemorySize ?? 128;
  }
  return out;
}

/** Lambda bills memory × duration, the duration rounded up to the next millisecond. */
export function gbSeconds(invocations: ReadonlyArray<{ handler: string; start: number; end: number }>, memory: Record<string, number>): number {
  return invocations.reduce((sum, i) => sum + ((memory[i.handler] ?? 128) / 1024) * (Math.ceil(i.end - i.start) / 1000), 0);
}
