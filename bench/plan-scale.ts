/**
 * `plan` at scale: 400 declarations of one stack (tokens resolved from the deployed stack), in an
 * account of 600 provisioned products, against the Service Catalog fake throttled at 5 requests/s
 * per operation (burst 10). The built CLI bundle plans them (Search and Scan pages, per-product
 * reads only where needed); side by side, a per-product plan (one Search and one Describe per
 * declaration, the handler's own read). Real time, real SDK (adaptive retries), real HTTP.
 *
 * Settings (environment): BENCH_PLAN_DECLARATIONS (400), BENCH_PLAN_OTHER_PRODUCTS (200).
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../lib';
import { CloudFormationFake } from '../test/e2e/cloudformation-fake/server';
import { ServiceCatalogFake } from '../test/e2e/service-catalog-fake';
import { SsmFake } from '../test/e2e/ssm-fake/server';
import { planProductByProduct } from './baseline/per-product-plan';
import { SectionResult, Table, fmt, target } from './report';
import { ACCOUNT, OWNER, REGION, productId, tempOutdir } from './stacks';

const DECLARATIONS = Number(process.env.BENCH_PLAN_DECLARATIONS ?? 400);
const OTHER_PRODUCTS = Number(process.env.BENCH_PLAN_OTHER_PRODUCTS ?? 200);
const THROTTLE = { ratePerSecond: 5, burst: 10 };
const TARGET_MS = 15_000;
const STACK = 'PlanScale';
const LAUNCH = `arn:aws:iam::${ACCOUNT}:role/SCLaunchRole`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const CLI = path.join(__dirname, '..', 'assets', 'cli', 'index.js');

interface Measured {
  readonly ms: number;
  readonly calls: Record<string, { answered: number; throttled: number }>;
  readonly answered: number;
  readonly attempts: number;
  readonly result: string;
}

/** Every 10th product drifted: the plan must find 40 changes. */
const drifted = (i: number) => i % 10 === 0;

async function withFake<T>(run: (fake: ServiceCatalogFake) => Promise<T>): Promise<{ value: T; measured: Omit<Measured, 'result' | 'ms'> }> {
  const fake = await ServiceCatalogFake.start({ accountId: ACCOUNT, region: REGION });
  const ssm = await SsmFake.start({ accountId: ACCOUNT, region: REGION });
  try {
    for (let i = 0; i < DECLARATIONS; i++) fake.addProduct({ id: productId(i), ownerArn: drifted(i) ? ALICE : OWNER, launchRoleArn: LAUNCH });
    for (let i = 0; i < OTHER_PRODUCTS; i++) fake.addProduct({ id: productId(DECLARATIONS + i), ownerArn: ALICE });
    fake.configure({ throttle: THROTTLE });
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL_SERVICE_CATALOG: fake.endpoint, AWS_ENDPOINT_URL_SSM: ssm.endpoint, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'local-fake-secret' });
    try {
      const value = await run(fake);
      const calls: Measured['calls'] = {};
      for (const c of fake.calls) {
        const entry = calls[c.operation] ??= { answered: 0, throttled: 0 };
        if (c.outcome === 'ok') entry.answered++;
        if (c.outcome === 'throttled') entry.throttled++;
      }
      return { value, measured: { calls, answered: fake.calls.filter((c) => c.outcome === 'ok').length, attempts: fake.calls.length } };
    } finally {
      process.env = saved;
    }
  } finally {
    await fake.stop();
    await ssm.stop();
  }
}

/** The app: 400 declarations whose owner is a role of the stack's own account, by ARN, and a launch role imported by ARN. */
function synthesizeApp(outdir: string): void {
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, STACK, { env: { account: ACCOUNT, region: REGION } });
  const launchRole = iam.Role.fromRoleArn(stack, 'Launch', LAUNCH);
  for (let i = 0; i < DECLARATIONS; i++) new ProvisionedProductProperties(stack, `P${i}`, { provisionedProductId: productId(i), owner: OWNER, launchRole });
  app.synth();
}

async function runCli(outdir: string): Promise<Measured> {
  const cloudFormation = await CloudFormationFake.start();
  try {
    const stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK}/00000000-0000-4000-8000-000000000400`;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const template = require(path.join(outdir, `${STACK}.template.json`));
    cloudFormation.ensureStack(stackId);
    for (const [logicalId, r] of Object.entries(template.Resources as Record<string, { Type: string; Properties: any }>)) {
      const physicalId = r.Type === 'Custom::ProvisionedProductProperties' ? r.Properties.ProvisionedProductId : `${STACK}-${logicalId}`;
      cloudFormation.setResource(stackId, { logicalId, physicalId, type: r.Type, status: 'CREATE_COMPLETE' });
    }
    cloudFormation.stackReads.setStack({ stackName: STACK, stackId, status: 'CREATE_COMPLETE', template });
    process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = cloudFormation.endpoint;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { main } = require(CLI) as { main: (argv: string[], io: unknown) => Promise<number> };
    let stdout = '';
    const { value, measured } = await withFake(async () => {
      process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = cloudFormation.endpoint;
      const started = Date.now();
      const code = await main(['plan', '--app', outdir, '--json', '--detailed-exitcode'], {
        stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: () => undefined }, env: {},
      });
      return { code, ms: Date.now() - started };
    });
    const changes = JSON.parse(stdout).declarations.flatMap((d: any) => d.changes.map((c: any) => c.action)) as string[];
    const count = (action: string) => changes.filter((a) => a === action).length;
    const cfnCalls = cloudFormation.calls.length + cloudFormation.stackReads.calls.length;
    return { ...measured, ms: value.ms, result: `exit ${value.code}; ${count('change')} change, ${count('none')} none, ${count('unknown')} unknown; ${cfnCalls} CloudFormation calls` };
  } finally {
    await cloudFormation.stop();
  }
}

async function runPerProduct(): Promise<Measured> {
  const declarations = Array.from({ length: DECLARATIONS }, (_, i) => ({ id: productId(i), values: { OWNER, LAUNCH_ROLE: LAUNCH } }));
  const { value, measured } = await withFake(async () => {
    const started = Date.now();
    const outcome = await planProductByProduct(declarations);
    return { ...outcome, ms: Date.now() - started };
  });
  return { ...measured, ms: value.ms, result: `${value.changed} change, ${value.unknown} unknown` };
}

export async function runPlanScale(): Promise<Omit<SectionResult, 'wallMs'>> {
  const { outdir, cleanup } = tempOutdir();
  try {
    synthesizeApp(outdir);
    const cli = await runCli(outdir);
    const perProduct = await runPerProduct();
    const perDeclaration = (m: Measured) => (m.answered / DECLARATIONS).toFixed(3);
    const ops = (m: Measured) => Object.entries(m.calls).map(([op, c]) => `${op} ${c.answered}${c.throttled ? ` (+${c.throttled} throttled)` : ''}`).join(', ');
    const table: Table = {
      title: `plan at scale: ${DECLARATIONS} declarations, ${DECLARATIONS + OTHER_PRODUCTS} products in the account, Service Catalog throttled at ${THROTTLE.ratePerSecond} requests/s per operation (burst ${THROTTLE.burst})`,
      header: ['implementation', 'time', 'Service Catalog calls per declaration', 'calls answered (throttled)', 'result'],
      rows: [
        ['plan (pages, built CLI bundle)', fmt.seconds(cli.ms), perDeclaration(cli), ops(cli), cli.result],
        ['per product (Search + Describe each)', fmt.seconds(perProduct.ms), perDeclaration(perProduct), ops(perProduct), perProduct.result],
      ],
      notes: [
        'Calls per declaration: Service Catalog calls answered, divided by the declarations; throttled attempts are listed apart.',
        'The plan also reads the stack from the CloudFormation fake (not throttled; ListStackResources pages of 2 there).',
        `Every 10th product has drifted (owner changed): both must report ${DECLARATIONS / 10} changes.`,
      ],
    };
    return {
      name: 'plan at scale',
      tables: [table],
      targets: [target('plan-400', `plan of ${DECLARATIONS} declarations, throttled at 5/s per operation`, fmt.seconds(cli.ms), `≤ ${fmt.seconds(TARGET_MS)}`, cli.ms <= TARGET_MS)],
      data: { declarations: DECLARATIONS, otherProducts: OTHER_PRODUCTS, throttle: THROTTLE, cli, perProduct },
    };
  } finally {
    cleanup();
  }
}
