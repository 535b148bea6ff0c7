/**
 * End-to-end setup of the `plan` command: the Service Catalog, CloudFormation and SSM fakes, reached by
 * the real SDK through AWS_ENDPOINT_URL_*; assemblies synthesized by the library into temp folders;
 * a "deploy" that plays each custom resource's requests (Create, Update, Delete in cleanup) through
 * aws-cdk-lib's provider framework and the built handler, and leaves CloudFormation's view of the
 * stack (DescribeStacks, ListStackResources, GetTemplate) as the deploy would; and the built CLI
 * bundle (assets/cli/index.js), run in this process with its exported main.
 */
import { ChildProcessByStdio, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { App } from 'aws-cdk-lib';
import { HANDLER_ASSET_DIR } from '../../../lib/provider/handler-functions';
import { CUSTOM_RESOURCE_TYPE, TemplateJson, createRequest, deleteRequest, resourceOf, updateRequest } from '../cloudformation-request';
import { CloudFormationFake } from '../cloudformation-fake/server';
import { stackModelOf } from '../cloudformation-fake/stack-model';
import { handlerAllowed } from '../cloudformation-fake/template-iam';
import { FrameworkHarness } from '../framework-harness';
import { ServiceCatalogFake } from '../service-catalog-fake';
import { SsmFake } from '../ssm-fake/server';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const arn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
export const CLI_BUNDLE = path.join(__dirname, '..', '..', '..', 'assets', 'cli', 'index.js');

export interface PlanEndToEnd {
  /** The plan's user may call anything; a deploy's handler what its template's IAM allows. */
  readonly serviceCatalog: ServiceCatalogFake;
  readonly cloudFormation: CloudFormationFake;
  /** The ledger's parameters: the plan's user reads them with any permission; a deploy's handler under its template's IAM. */
  readonly ssm: SsmFake;
  readonly logs: string[];
}

/** Starts the fakes before the file's tests and stops them after; console output of the handler is kept out of the test output. */
export function usePlanEndToEnd(): PlanEndToEnd {
  const e2e = {} as { -readonly [K in keyof PlanEndToEnd]: PlanEndToEnd[K] };
  beforeAll(async () => {
    if (!existsSync(CLI_BUNDLE)) throw new Error('The CLI is not bundled: run "npm run bundle" before this test (npm test does).');
    e2e.serviceCatalog = await ServiceCatalogFake.start({ accountId: ACCOUNT, defaultRecordDurationMs: 20 });
    e2e.cloudFormation = await CloudFormationFake.start();
    e2e.ssm = await SsmFake.start({ accountId: ACCOUNT, region: REGION });
    Object.assign(process.env, endpointEnv(e2e));
    e2e.logs = [];
    for (const level of ['log', 'info', 'warn', 'error'] as const) {
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => { e2e.logs.push(args.map(String).join(' ')); });
    }
  });
  afterAll(async () => {
    await e2e.serviceCatalog?.stop();
    await e2e.cloudFormation?.stop();
    await e2e.ssm?.stop();
  });
  return e2e;
}

/** The environment a user's shell would have: credentials, region and the endpoints of the fakes. */
export function endpointEnv(e2e: PlanEndToEnd): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SERVICE_CATALOG: e2e.serviceCatalog.endpoint,
    AWS_ENDPOINT_URL_CLOUDFORMATION: e2e.cloudFormation.endpoint,
    AWS_ENDPOINT_URL_SSM: e2e.ssm.endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'local-fake-secret',
  };
}

/** A cloud assembly synthesized by the library into a temp folder; `cleanup` removes it. */
export function synthesize(build: (app: App) => void): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ppp-plan-'));
  // As the CDK CLI synthesizes: with each resource's construct path in its template metadata.
  const app = new App({ outdir: dir, context: { 'aws:cdk:enable-path-metadata': true } });
  build(app);
  app.synth();
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function templateOf(dir: string, stackName: string): TemplateJson {
  return JSON.parse(readFileSync(path.join(dir, `${stackName}.template.json`), 'utf8'));
}

/**
 * Deploys the stack of the assembly in `dir` as CloudFormation would: other resources get their
 * physical ids (`physicalIds`, else CloudFormation's `<stack>-<logical id>` names), each custom
 * resource gets its Create or Update through the provider framework and the built handler, and the
 * ones removed from the template their Delete in cleanup. Throws when a request fails.
 */
export async function deploy(e2e: PlanEndToEnd, dir: string, stackName: string, physicalIds: Record<string, string> = {}): Promise<string> {
  const template = templateOf(dir, stackName);
  const previous = e2e.cloudFormation.stackReads.stack(stackName);
  const stackId = previous?.stackId ?? `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stackName}/${randomUUID()}`;
  const before = previous?.template as TemplateJson | undefined;
  const cf = e2e.cloudFormation;
  cf.ensureStack(stackId);
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type === CUSTOM_RESOURCE_TYPE) continue;
    cf.setResource(stackId, { logicalId, physicalId: physicalIds[logicalId] ?? `${stackName}-${logicalId}`.slice(0, 64), type: resource.Type, status: 'CREATE_COMPLETE' });
  }
  const resolve = Object.fromEntries(Object.entries(physicalIds).flatMap(([id, value]) => [[id, value], [`${id}.ProvisionedProductId`, value]]));
  const options = { stackId, resolve };
  const harness = new FrameworkHarness({ assetDir: HANDLER_ASSET_DIR, template, stack: stackModelOf(cf), stackId });
  // The handler's SSM and Service Catalog calls under the deployed template's IAM; the plan's user keeps the fakes' own.
  const userAuthorize = { ssm: e2e.ssm.authorize, serviceCatalog: e2e.serviceCatalog.authorize };
  e2e.ssm.authorize = (action, resourceArn) => handlerAllowed(template, action, resourceArn, stackId);
  e2e.serviceCatalog.authorize = (action) => handlerAllowed(template, action, undefined, stackId);
  try {
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== CUSTOM_RESOURCE_TYPE) continue;
      const current = cf.resource(stackId, logicalId);
      const old = before?.Resources[logicalId];
      const request = !old || !current
        ? createRequest(resourceOf(template, logicalId), options)
        : JSON.stringify(old.Properties) === JSON.stringify(resource.Properties)
          ? undefined
          : updateRequest(resourceOf(template, logicalId), { resource: resourceOf(before!, logicalId), physicalResourceId: current.physicalId }, options);
      if (request) expectSuccess(await harness.send(request), logicalId);
    }
    for (const [logicalId, resource] of Object.entries(before?.Resources ?? {})) {
      if (template.Resources[logicalId]) continue;
      const current = cf.resource(stackId, logicalId);
      if (resource.Type === CUSTOM_RESOURCE_TYPE && current) {
        expectSuccess(await harness.send(deleteRequest(resourceOf(before!, logicalId), current.physicalId, options)), logicalId);
      }
      cf.removeResource(stackId, logicalId);
    }
  } finally {
    e2e.ssm.authorize = userAuthorize.ssm;
    e2e.serviceCatalog.authorize = userAuthorize.serviceCatalog;
    await harness.stop(0);
  }
  cf.stackReads.setStack({ stackName, stackId, status: previous ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE', template });
  return stackId;
}

function expectSuccess(response: { Status: string; Reason: string }, logicalId: string): void {
  if (response.Status !== 'SUCCESS') throw new Error(`the deploy of ${logicalId} failed: ${response.Reason}`);
}

export interface PlanRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI bundle's main in this process (the SDK reads the fakes' endpoints from process.env); Search's lag waits are instant. */
export async function plan(args: readonly string[]): Promise<PlanRun> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require(CLI_BUNDLE) as { main: (argv: readonly string[], io: unknown) => Promise<number> };
  let stdout = '';
  let stderr = '';
  const code = await main(['plan', ...args], {
    stdout: { write: (text: string) => { stdout += text; }, isTTY: false },
    stderr: { write: (text: string) => { stderr += text; }, isTTY: false },
    env: {},
    sleep: () => Promise.resolve(),
  });
  return { code, stdout, stderr };
}

/**
 * Runs the bundle as a user runs the bin: its own process, exit code and output. Asynchronous: the
 * fakes answer from this process's event loop.
 */
export function spawnPlan(args: readonly string[], env: Record<string, string | undefined>): Promise<PlanRun> {
  return outcomeOf(spawn(process.execPath, [CLI_BUNDLE, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** A command's exit code and whole output, once it has ended. */
export function outcomeOf(child: ChildProcessByStdio<null, Readable, Readable>): Promise<PlanRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function jsonOf(run: PlanRun): { declarations: Array<{ stack: string; path: string; provisionedProductId: string | null; changes: any[] }> } {
  return JSON.parse(run.stdout);
}
