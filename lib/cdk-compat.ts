/**
 * What this library needs from aws-cdk-lib, and the fallbacks that let it run, with the same
 * template, on every release from MIN_AWS_CDK_LIB_VERSION to the newest 2.x:
 *
 * - the provider framework's `frameworkOnEventRole` / `frameworkCompleteAndTimeoutRole` (2.183.0):
 *   the floor, because the framework's functions then run on roles this library creates (log
 *   writing on its own log group, network-interface permissions in a VPC, a permissions boundary,
 *   a path and a name prefix), not on roles with the AWS managed AWSLambdaBasicExecutionRole;
 * - `Runtime.NODEJS_24_X` (2.224.0): the runtime is built from its name instead
 *   (lib/provider/runtime-policy.ts);
 * - `Validations.of(...).acknowledge` (2.252.0): used where it exists; cdk-nag v2's metadata is
 *   written in every release.
 */
import * as cdk from 'aws-cdk-lib';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';

/** The oldest aws-cdk-lib release this library runs on (the peer dependency's floor). */
export const MIN_AWS_CDK_LIB_VERSION = '2.183.0';

/** The version of the aws-cdk-lib this process loaded, from its jsii type information. */
export function loadedAwsCdkLibVersion(): string | undefined {
  const rtti = (cdk.Stack as unknown as Record<symbol, { version?: string } | undefined>)[Symbol.for('jsii.rtti')];
  return rtti?.version;
}

function parseVersion(version: string): number[] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? match.slice(1, 4).map(Number) : undefined;
}

/** Whether `version` is at least `floor` (both `major.minor.patch`; pre-release tags ignored). */
export function isAtLeast(version: string, floor: string): boolean {
  const [v, f] = [parseVersion(version), parseVersion(floor)];
  if (!v || !f) return true; // unknown format: nothing to compare, assume a development build
  for (let i = 0; i < 3; i++) {
    if (v[i] !== f[i]) return v[i] > f[i];
  }
  return true;
}

/**
 * Fails with a message that says what to do when the loaded aws-cdk-lib is older than the floor,
 * instead of a TypeError deep inside the provider. A development build (`0.0.0`) passes.
 */
export function assertSupportedAwsCdkLib(version: string | undefined = loadedAwsCdkLibVersion()): void {
  if (version === undefined || version === '0.0.0' || isAtLeast(version, MIN_AWS_CDK_LIB_VERSION)) {
    return;
  }
  throw new Error(`cdk-provisioned-product-properties needs aws-cdk-lib ${MIN_AWS_CDK_LIB_VERSION} or newer, and this app `
    + `loads aws-cdk-lib ${version}. Its provider gives the custom resource framework's functions roles of their own, `
    + `which aws-cdk-lib's Provider accepts from ${MIN_AWS_CDK_LIB_VERSION} on. Upgrade aws-cdk-lib (npm install `
    + `aws-cdk-lib@^${MIN_AWS_CDK_LIB_VERSION}; pip install "aws-cdk-lib>=${MIN_AWS_CDK_LIB_VERSION}"; or the same in Maven, `
    + 'NuGet or go.mod), or use a release of cdk-provisioned-product-properties made for your aws-cdk-lib.');
}

/** A rule finding that does not apply, with the reason a security reviewer reads. */
export interface Acknowledgement {
  /** The finding, as cdk-nag v3 and `Validations` name it, such as `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  /** Why it does not apply here. */
  readonly reason: string;
}

interface NagV2Rule {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
}

/**
 * Acknowledges findings on `scope` and every resource under it, in the two forms the cdk-nag
 * versions read:
 *
 * - `Validations.of(scope).acknowledge(...)`, read by cdk-nag v3 (aws-cdk-lib 2.257.0 and newer),
 *   where aws-cdk-lib has it (2.252.0 and newer);
 * - the `cdk_nag` template metadata that cdk-nag v2's `NagSuppressions.addResourceSuppressions`
 *   writes (`rules_to_suppress`, with `applies_to` for a granular finding such as
 *   `AwsSolutions-IAM5[Resource::*]`), on each CloudFormation resource under `scope`.
 *
 * Call it once the resources exist: the metadata goes on the resources under `scope` at the time.
 */
export function acknowledge(scope: IConstruct, ...acknowledgements: Acknowledgement[]): void {
  if (acknowledgements.length === 0) return;
  const validations = (cdk as unknown as { Validations?: { of(s: IConstruct): { acknowledge(...a: Acknowledgement[]): void } } })
    .Validations;
  if (validations && typeof validations.of === 'function') {
    validations.of(scope).acknowledge(...acknowledgements);
  }
  // No resource under the scope (a role that iam.Role.customizeRoles does not synthesize): nothing
  // for cdk-nag to find there either.
  const resources = scope.node.findAll().filter(CfnResource.isCfnResource);
  const rules = acknowledgements.map(toNagV2Rule);
  for (const resource of resources) {
    const existing: NagV2Rule[] = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
    const serialized = [...new Set([...existing, ...rules].map((r) => JSON.stringify(r)))];
    resource.addMetadata('cdk_nag', { rules_to_suppress: serialized.map((r) => JSON.parse(r) as NagV2Rule) });
  }
}

/** `AwsSolutions-IAM5[Resource::*]` → `{ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'] }`. */
export function toNagV2Rule(acknowledgement: Acknowledgement): NagV2Rule {
  const match = /^([^[\]]+)\[(.+)\]$/.exec(acknowledgement.id);
  return match
    ? { id: match[1], reason: acknowledgement.reason, applies_to: [match[2]] }
    : { id: acknowledgement.id, reason: acknowledgement.reason };
}

/** The stack mapping aws-cdk-lib adds for the latest Node.js runtime of each region, in a stack with no region. */
const LATEST_NODE_RUNTIME_MAP = 'LatestNodeRuntimeMap';

/**
 * Runs `create` (the provider's creation), and removes the per-region runtime mapping it brought
 * into a stack with no region, when the stack had none before: the framework's functions, which
 * use it, are pinned to one runtime instead (`pinFrameworkFunction`).
 */
export function withoutAddedRuntimeMapping<T>(scope: Construct, create: () => T): T {
  const stack = Stack.of(scope);
  const mappingExisted = stack.node.tryFindChild(LATEST_NODE_RUNTIME_MAP) !== undefined;
  const created = create();
  if (!mappingExisted) {
    stack.node.tryRemoveChild(LATEST_NODE_RUNTIME_MAP);
  }
  return created;
}

/**
 * Puts a function of the provider framework on the handlers' runtime. aws-cdk-lib gives them the
 * latest Node.js runtime it knows, which may be one this library's bundle is not tested on (and, in
 * a stack with no region, a per-region mapping). Its log level is pinned too.
 */
export function pinFrameworkFunction(resource: lambda.CfnFunction, runtime: lambda.Runtime): void {
  resource.runtime = runtime.name;
  // As aws-cdk-lib does in its newer releases (frameworkLambdaLoggingLevel, default FATAL): the framework's own log lines
  // hold CloudFormation's pre-signed ResponseURL, so only fatal errors; our handlers log the rest.
  resource.addPropertyOverride('LoggingConfig.ApplicationLogLevel', 'FATAL');
  resource.addPropertyOverride('LoggingConfig.LogFormat', 'JSON');
}
