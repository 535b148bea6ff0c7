/**
 * Shared setup for end-to-end tests: the local Service Catalog fake, the SDK pointed at it
 * through AWS_ENDPOINT_URL_SERVICE_CATALOG (and at the CloudFormation, EventBridge and SSM fakes
 * likewise), and the built asset inside the provider framework of a synthesized stack. Requests
 * are built from synthesized templates (cloudformation-request.ts). The SSM and Service Catalog
 * fakes apply the IAM of the handler role in the template in force (template-iam.ts).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../../lib';
import { HANDLER_ASSET_DIR } from '../../lib/provider/handler-functions';
import { STACK_ID, TemplateJson, TemplateResource, resourceOf } from './cloudformation-request';
import { FrameworkHarness, HarnessOptions } from './framework-harness';
import { CloudFormationFake } from './cloudformation-fake/server';
import { stackModelOf } from './cloudformation-fake/stack-model';
import { handlerAllowed } from './cloudformation-fake/template-iam';
import { EventBridgeFake } from './eventbridge-fake/server';
import { ServiceCatalogFake } from './service-catalog-fake';
import { SsmFake } from './ssm-fake/server';

export const ACCOUNT = '123456789012';
export const arn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;

export interface EndToEnd {
  /** Its `authorize` applies the IAM of the same role and template as the SSM fake's, on actions alone. */
  readonly fake: ServiceCatalogFake;
  /** ListStackResources of the stack the harness plays, for restoreOnDelete's hand-over. */
  readonly cloudFormation: CloudFormationFake;
  /** The drift schedule's rule targets, which the drift function reads. */
  readonly eventBridge: EventBridgeFake;
  /**
   * The ledger's parameters. Its `authorize` applies the handler role's IAM of the template in
   * force: the one set in the CloudFormation fake for the harness's stack, else the harness's own.
   */
  readonly ssm: SsmFake;
  readonly harness: FrameworkHarness;
  /** Every line the framework and the handler logged, kept out of the test output. */
  readonly logs: string[];
}

export async function startEndToEnd(options: Partial<HarnessOptions> = {}): Promise<EndToEnd> {
  const fake = await ServiceCatalogFake.start({ accountId: ACCOUNT });
  const cloudFormation = await CloudFormationFake.start();
  const eventBridge = await EventBridgeFake.start();
  const ssm = await SsmFake.start({ accountId: ACCOUNT, region: 'us-east-1' });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    AWS_ENDPOINT_URL_SERVICE_CATALOG: fake.endpoint,
    AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'local-fake-secret',
  });
  const { template } = synthesizedResource({ id: 'pp-provider', owner: arn('role/Owner') });
  const harness = new FrameworkHarness({ assetDir: HANDLER_ASSET_DIR, template, stack: stackModelOf(cloudFormation), ...options });
  const stackId = options.stackId ?? STACK_ID;
  const harnessTemplate = (options.template instanceof Template ? options.template.toJSON() : options.template ?? template) as TemplateJson;
  const inForce = () => cloudFormation.templateInForce(stackId) ?? harnessTemplate;
  ssm.authorize = (action, resourceArn) => handlerAllowed(inForce(), action, resourceArn, stackId);
  fake.authorize = (action) => handlerAllowed(inForce(), action, undefined, stackId);
  const logs: string[] = [];
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logs.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.stack : JSON.stringify(a))).join(' '));
    });
  }
  return { fake, cloudFormation, eventBridge, ssm, harness, logs };
}

/**
 * Starts the fake and the harness before the file's tests and, after them, stops the waiters
 * and then the fake; the returned object is filled in by then.
 */
export function useEndToEnd(options: Partial<HarnessOptions> = {}): EndToEnd {
  const e2e = {} as { -readonly [K in keyof EndToEnd]: EndToEnd[K] };
  beforeAll(async () => { Object.assign(e2e, await startEndToEnd(options)); });
  afterAll(async () => {
    await e2e.harness?.stop();
    await e2e.fake?.stop();
    await e2e.cloudFormation?.stop();
    await e2e.eventBridge?.stop();
    await e2e.ssm?.stop();
  });
  return e2e;
}

export interface DeclarationProps {
  readonly id?: string;
  readonly name?: string;
  readonly owner?: string;
  readonly launchRole?: string;
  readonly timeout?: Duration;
  readonly restoreOnDelete?: boolean;
  /** The construct's id, which makes its logical id: another id is a rename. */
  readonly constructId?: string;
  readonly checkOnEveryDeploy?: boolean;
}

/**
 * The custom resource as the construct synthesizes it for `props`, in its template: requests
 * are built from it, so each test also checks the contract between the construct and the handler.
 */
export function synthesizedResource(props: DeclarationProps): TemplateResource {
  const stack = new Stack(new App(), 'Example', { env: { account: ACCOUNT, region: 'us-east-1' } });
  new ProvisionedProductProperties(stack, props.constructId ?? 'Ownership', {
    provisionedProductId: props.id,
    provisionedProductName: props.name,
    restoreOnDelete: props.restoreOnDelete,
    owner: props.owner,
    launchRole: props.launchRole ? iam.Role.fromRoleArn(stack, 'Launch', props.launchRole) : undefined,
    timeout: props.timeout,
    checkOnEveryDeploy: props.checkOnEveryDeploy,
  });
  return resourceOf(Template.fromStack(stack));
}
