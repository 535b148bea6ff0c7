/**
 * The parts of aws-cdk-lib's custom resource Provider that this library configures and
 * acknowledges: the framework's three functions and the role of its waiter state machine. The
 * Provider has no props or accessors for them, and their construct ids are private to aws-cdk-lib,
 * which may rename them in any release, so they are found by type and by what they are:
 *
 * - a framework function is a function in the Provider's subtree whose CloudFormation `Handler`
 *   is `framework.onEvent`, `framework.isComplete` or `framework.onTimeout` (the entry points of
 *   the framework's runtime, which the deployed code needs whatever the construct ids);
 * - the waiter's role is the IAM role in the Provider's subtree, not one of the roles given to
 *   the Provider, whose ARN is the `RoleArn` of the waiter's state machine.
 *
 * Where a part cannot be found, synth fails with the aws-cdk-lib release and what to do.
 */
import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { MIN_AWS_CDK_LIB_VERSION, loadedAwsCdkLibVersion } from '../cdk-compat';

/** The framework's entry points, as its functions' `Handler` names them (`framework.<entry point>`). */
export const FRAMEWORK_ENTRY_POINTS = ['onEvent', 'isComplete', 'onTimeout'] as const;
export type FrameworkEntryPoint = typeof FRAMEWORK_ENTRY_POINTS[number];

/** One of the framework's functions: its construct (for dependencies and acknowledgements) and its resource. */
export interface FrameworkFunction {
  readonly construct: IConstruct;
  readonly resource: lambda.CfnFunction;
}

/** What this library changes or acknowledges in the provider framework. */
export interface FrameworkParts {
  readonly functions: Readonly<Record<FrameworkEntryPoint, FrameworkFunction>>;
  /** The waiter state machine's role, which the Provider creates itself. */
  readonly waiterRole: iam.IRole;
}

const ISSUES_URL = 'https://github.com/provisionedproductproperties/cdk-provisioned-product-properties/issues';

/**
 * Finds the framework's parts under `provider` (an aws-cdk-lib `custom_resources.Provider` with an
 * isComplete handler). `givenRoles` are the roles passed to the Provider, never the waiter's.
 */
export function frameworkPartsOf(provider: IConstruct, givenRoles: readonly iam.IRole[]): FrameworkParts {
  const constructs = provider.node.findAll();
  const resources = constructs.filter(CfnResource.isCfnResource);
  const functions = {} as Record<FrameworkEntryPoint, FrameworkFunction>;
  for (const entryPoint of FRAMEWORK_ENTRY_POINTS) {
    const found = resources
      .filter((r): r is lambda.CfnFunction => r.cfnResourceType === lambda.CfnFunction.CFN_RESOURCE_TYPE_NAME
        && (r as lambda.CfnFunction).handler === `framework.${entryPoint}`)
      .map((resource) => ({ construct: functionOf(resource), resource }));
    functions[entryPoint] = exactlyOne(provider, found, `${entryPoint} function (Handler framework.${entryPoint})`);
  }
  // By type name, as aws-stepfunctions is not otherwise needed here: a CfnStateMachine.
  const stateMachine = exactlyOne(provider,
    resources.filter((r) => r.cfnResourceType === 'AWS::StepFunctions::StateMachine') as (CfnResource & { roleArn?: string })[],
    'waiter state machine');
  const roles = constructs
    .filter((c): c is iam.Role => iam.Role.isRole(c) && !givenRoles.includes(c as iam.IRole))
    .filter((role) => role.roleArn === stateMachine.roleArn);
  return { functions, waiterRole: exactlyOne(provider, roles, 'waiter state machine role apart from the roles this library gives the Provider') };
}

/** The function construct whose resource this is, or the resource itself when it stands alone. */
function functionOf(resource: lambda.CfnFunction): IConstruct {
  const scope = resource.node.scope;
  return scope && scope.node.defaultChild === resource ? scope : resource;
}

function exactlyOne<T>(provider: IConstruct, found: T[], what: string): T {
  if (found.length === 1) return found[0];
  throw new Error(frameworkPartError(provider, what, found.length));
}

/** The error for a part of the framework that is not there (0) or not alone (2 or more). */
export function frameworkPartError(provider: IConstruct, what: string, count: number,
  version: string = loadedAwsCdkLibVersion() ?? 'of unknown version'): string {
  return `cdk-provisioned-product-properties: aws-cdk-lib ${version} builds its custom resource Provider `
    + `('${provider.node.path}') differently from the releases this library supports (${MIN_AWS_CDK_LIB_VERSION} and newer): `
    + `${count === 0 ? 'it has no' : `it has ${count} candidates for the`} ${what}, which this library configures and acknowledges. `
    + `Please report it at ${ISSUES_URL} with that aws-cdk-lib version, and meanwhile pin aws-cdk-lib to the release `
    + 'you used before (npm install aws-cdk-lib@<version> --save-exact, or the same in pip, Maven, NuGet or go.mod).';
}
