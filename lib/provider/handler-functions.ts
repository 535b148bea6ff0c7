/**
 * Every Lambda function of ours (not the provider framework's): onEvent, isComplete, the drift
 * correction and the AWS Config rule's, from one bundle, with the props they share (runtime, architecture, role, memory,
 * log group and the provider configuration's) and the cdk-nag acknowledgement of each.
 */
import { existsSync } from 'fs';
import * as path from 'path';
import { Aws, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../cdk-compat';
import { OWN_STACK_ID_ENV } from '../shared/wire-contract';
import { acknowledgeComplianceHandler, acknowledgeDriftHandler, acknowledgeHandler } from './compliance';
import { ProvisionedProductPropertiesProviderProps } from './provider-config';
import { RuntimeChoice } from './runtime-policy';

/** The esbuild bundle of `lambda/`, built by `npm run build` and shipped in the package. */
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'handler');

/** What every function of ours shares. */
export interface HandlerFunctionsProps {
  /** The runtime policy's choice (lib/provider/runtime-policy.ts), the same for the framework's functions. */
  readonly runtime: RuntimeChoice;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly config: ProvisionedProductPropertiesProviderProps;
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/** One function: its construct id, the suffix of its name, and what differs between them. */
interface FunctionSpec {
  readonly id: string;
  readonly nameSuffix: string;
  readonly handler: string;
  readonly timeout: Duration;
  readonly description: string;
  readonly acknowledge: (fn: lambda.Function) => void;
  /** The custom resource's functions learn their own stack's id, to refuse other stacks' requests. */
  readonly ownStackOnly?: boolean;
}

const FUNCTIONS = {
  onEvent: {
    id: 'OnEventHandler',
    nameSuffix: 'OnEvent',
    handler: 'index.onEvent',
    // Room for the SDK's retries of a throttled call (lambda/service-catalog.ts); the calls stop 10 s
    // before this timeout (lambda/runtime.ts), and a change not started by then is left to isComplete.
    timeout: Duration.minutes(5),
    description: 'Calls UpdateProvisionedProductProperties',
    acknowledge: acknowledgeHandler,
    ownStackOnly: true,
  },
  isComplete: {
    id: 'IsCompleteHandler',
    nameSuffix: 'IsComplete',
    handler: 'index.isComplete',
    // Each invocation polls until 10 s before this timeout (lambda/runtime.ts), then hands back to
    // the waiter (lambda/product/poll-schedule.ts), which invokes it again 5 s later.
    timeout: Duration.minutes(2),
    description: 'Polls DescribeRecord until SUCCEEDED or FAILED',
    acknowledge: acknowledgeHandler,
    ownStackOnly: true,
  },
  correctDrift: {
    id: 'Handler',
    nameSuffix: 'DriftCorrection',
    handler: 'index.correctDrift',
    // Lambda's maximum: what a run has not finished by then is reported pending (lambda/drift/run.ts).
    timeout: Duration.minutes(15),
    description: 'Re-applies declared provisioned product owners and launch roles that drifted',
    acknowledge: acknowledgeDriftHandler,
  },
  evaluateCompliance: {
    id: 'Handler',
    nameSuffix: 'Compliance',
    handler: 'index.evaluateCompliance',
    // One evaluation reads every declared product, as a drift run does (lib/compliance/).
    timeout: Duration.minutes(15),
    description: 'Reports each declared provisioned product to AWS Config as COMPLIANT or NON_COMPLIANT',
    acknowledge: acknowledgeComplianceHandler,
  },
} satisfies Record<string, FunctionSpec>;

/** Creates our functions, each where its caller puts it (the construct ids are part of the template). */
export class HandlerFunctions {
  private readonly code: lambda.Code;

  constructor(private readonly props: HandlerFunctionsProps) {
    if (!existsSync(path.join(HANDLER_ASSET_DIR, 'index.js'))) {
      throw new Error(`cdk-provisioned-product-properties: the bundled handler is missing at ${HANDLER_ASSET_DIR}. `
        + 'Run "npm run build" in the package (a package from the npm registry ships it built).');
    }
    this.code = lambda.Code.fromAsset(HANDLER_ASSET_DIR);
  }

  /** The custom resource's onEvent handler. */
  public onEvent(scope: Construct): lambda.Function {
    return this.create(scope, FUNCTIONS.onEvent);
  }

  /** The custom resource's isComplete handler, which the framework's waiter invokes. */
  public isComplete(scope: Construct): lambda.Function {
    return this.create(scope, FUNCTIONS.isComplete);
  }

  /** The drift-correction function, which the stack's schedule invokes. */
  public correctDrift(scope: Construct): lambda.Function {
    return this.create(scope, FUNCTIONS.correctDrift);
  }

  /** The AWS Config rule's function, on a role of its own (it reads and reports, and may not write). */
  public evaluateCompliance(scope: Construct, role: iam.IRole): lambda.Function {
    return this.create(scope, FUNCTIONS.evaluateCompliance, role);
  }

  private create(scope: Construct, spec: FunctionSpec, role: iam.IRole = this.props.role): lambda.Function {
    const { config, securityGroups } = this.props;
    const fn = new lambda.Function(scope, spec.id, {
      runtime: this.props.runtime.runtime,
      architecture: lambda.Architecture.ARM_64,
      role,
      memorySize: 256,
      logGroup: this.props.logGroup,
      vpc: config.vpc,
      vpcSubnets: config.vpc ? config.vpcSubnets : undefined,
      securityGroups,
      environmentEncryption: config.environmentEncryption,
      reservedConcurrentExecutions: config.reservedConcurrentExecutions,
      functionName: config.functionNamePrefix !== undefined ? `${config.functionNamePrefix}${spec.nameSuffix}` : undefined,
      code: this.code,
      handler: spec.handler,
      timeout: spec.timeout,
      description: spec.description,
      environment: spec.ownStackOnly ? { [OWN_STACK_ID_ENV]: Aws.STACK_ID } : undefined,
    });
    spec.acknowledge(fn);
    acknowledge(fn, ...this.props.runtime.acknowledgements);
    return fn;
  }
}
