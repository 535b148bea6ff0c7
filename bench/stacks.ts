/**
 * The stacks the bench synthesizes: N instances of our construct, or N hand-written
 * AwsCustomResource calls doing the same UpdateProvisionedProductProperties, each with its own
 * launch role (or one shared role), plus the synth-to-a-temp-dir helper.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { ProvisionedProductProperties } from '../lib';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const STACK_NAME = 'ProvisionedProductsStack';
export const OWNER = `arn:aws:iam::${ACCOUNT}:role/PlatformTeam`;

export type Variant = 'ours' | 'baseline';
export type RoleMode = 'distinct' | 'shared';

/** Deterministic pseudo-random characters, so every run builds the same templates. */
function chars(seed: number, length: number, alphabet: string): string {
  let x = (seed * 2654435761 + 12345) >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x ^ (x >>> 15), 2246822519) + 3266489917 + i) >>> 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789ABCDEF';

/**
 * A launch role ARN as CloudFormation names roles it creates: stack name, logical id (with its
 * 8-hex hash) and a 12-character suffix, e.g.
 * arn:aws:iam::123456789012:role/ProvisionedProductsStack-LaunchRole007A1B2C3D4-Xy7Zk9Qw3Rt5 (90 characters).
 */
export function launchRoleArn(index: number): string {
  const logicalId = `LaunchRole${String(index).padStart(3, '0')}${chars(index, 8, HEX)}`;
  return `arn:aws:iam::${ACCOUNT}:role/${STACK_NAME}-${logicalId}-${chars(index + 7919, 12, ALNUM)}`;
}

/** A provisioned product id in the service's shape: pp- and 13 lowercase alphanumerics. */
export function productId(index: number): string {
  return `pp-${chars(index + 104729, 13, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
}

export interface StackOptions {
  readonly variant: Variant;
  readonly n: number;
  readonly roles: RoleMode;
  /** Extra app context, e.g. to lift the 500-resource check while measuring past it. */
  readonly context?: Record<string, unknown>;
  readonly outdir: string;
}

/** Builds the app and stack (constructs only; nothing is synthesized yet). */
export function buildApp(options: StackOptions): { app: App; stack: Stack } {
  const app = new App({ outdir: options.outdir, context: options.context });
  const stack = new Stack(app, STACK_NAME, { env: { account: ACCOUNT, region: REGION } });
  const roles = new Map<string, iam.IRole>();
  const roleFor = (i: number) => {
    const arn = launchRoleArn(options.roles === 'shared' ? 0 : i);
    let role = roles.get(arn);
    if (!role) {
      role = iam.Role.fromRoleArn(stack, `LaunchRole${roles.size}`, arn);
      roles.set(arn, role);
    }
    return role;
  };
  for (let i = 0; i < options.n; i++) {
    if (options.variant === 'ours') {
      new ProvisionedProductProperties(stack, `Ownership${i}`, {
        provisionedProductId: productId(i), owner: OWNER, launchRole: roleFor(i),
      });
    } else {
      addAwsCustomResource(stack, i, roleFor(i));
    }
  }
  return { app, stack };
}

/**
 * What a user writes without this library: an AwsCustomResource that fires the call (and does
 * not wait for the record), with the statement the SDK call needs and iam:PassRole on the role.
 */
function addAwsCustomResource(stack: Stack, i: number, launchRole: iam.IRole): void {
  const id = productId(i);
  const call: cr.AwsSdkCall = {
    service: 'ServiceCatalog',
    action: 'updateProvisionedProductProperties',
    parameters: {
      ProvisionedProductId: id,
      ProvisionedProductProperties: { OWNER, LAUNCH_ROLE: launchRole.roleArn },
      IdempotencyToken: `ownership-${i}-v1`,
    },
    physicalResourceId: cr.PhysicalResourceId.of(id),
  };
  new cr.AwsCustomResource(stack, `Ownership${i}`, {
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      // What AwsCustomResourcePolicy.fromSdkCalls({ resources: ANY_RESOURCE }) derives for this call.
      new iam.PolicyStatement({ actions: ['servicecatalog:UpdateProvisionedProductProperties'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [launchRole.roleArn] }),
    ]),
  });
}

export interface Synthesized {
  readonly template: any;
  readonly templateBytes: number;
}

/** A fresh temp dir for an app's outdir; `cleanup` removes it. */
export function tempOutdir(): { outdir: string; cleanup: () => void } {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'ppp-bench-'));
  return { outdir, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** Synthesizes the app and reads the stack's template file as written. */
export function synthesize(app: App, stack: Stack): Synthesized {
  const assembly = app.synth();
  const file = path.join(assembly.directory, assembly.getStackArtifact(stack.artifactId).templateFile);
  const text = readFileSync(file, 'utf8');
  return { template: JSON.parse(text), templateBytes: Buffer.byteLength(text, 'utf8') };
}

/** Builds and synthesizes in a temp dir that is removed afterwards. */
export function buildAndSynthesize(options: Omit<StackOptions, 'outdir'>): Synthesized {
  const { outdir, cleanup } = tempOutdir();
  try {
    const { app, stack } = buildApp({ ...options, outdir });
    return synthesize(app, stack);
  } finally {
    cleanup();
  }
}
