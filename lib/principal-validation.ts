import { Annotations, Arn, ArnFormat, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { PropertyKey } from './shared/declaration';
import { PropertyValidationError, StackEnvironment, checkPrincipalParts, parsePrincipalArn } from './shared/validation';

/**
 * The shared principal rule (lib/shared/validation.ts) at synth time. An ARN known in full, or
 * literal once the stack resolves it (a role of a stack in another account, with a physical name),
 * gets it whole. An ARN with tokens in it (such as the partition or account of `Role.fromRoleName`)
 * is split with `Arn.split`, and its known parts get the same rule; a wholly-token ARN (a role of
 * this app) is only known at deploy time, where the handler checks it.
 */
export function validatePrincipal(key: PropertyKey, arn: string, field: string, stack: Stack): void {
  const environment = synthEnvironment(stack);
  const resolved = resolvedForSynth(stack, arn);
  if (!Token.isUnresolved(resolved)) {
    parsePrincipalArn(key, resolved, field, environment);
    return;
  }
  if (!resolved.startsWith('arn:')) {
    return;
  }
  const parts = Arn.split(resolved, ArnFormat.SLASH_RESOURCE_NAME);
  const known = (value: string | undefined) => (value !== undefined && !Token.isUnresolved(value) ? value : undefined);
  const service = known(parts.service);
  const resource = known(parts.resource);
  checkPrincipalParts(key, {
    partition: known(parts.partition), account: known(parts.account),
    type: service !== undefined && resource !== undefined ? `${service}:${resource}` : undefined,
  }, describeToken(stack, arn), field, environment);
}

/**
 * `value` as the stack resolves it: a literal string where it resolves to one (such as a role of a
 * stack in another account, which has a physical name), a string with a token for each unknown part
 * of an `Fn::Join`, or `value` itself where it resolves to anything else or cannot be resolved yet.
 */
export function resolvedForSynth(stack: Stack, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  let resolved: unknown;
  try {
    resolved = stack.resolve(value);
  } catch {
    return value; // a Lazy value that is not ready before synth
  }
  if (typeof resolved === 'string') return resolved;
  const join = joinedParts(resolved);
  return join ? join.map((part) => (typeof part === 'string' ? part : Token.asString(part))).join('') : value;
}

/**
 * A token as a message shows it, in `Fn::Sub` syntax: `arn:${AWS::Partition}:iam::${AWS::AccountId}:role/Name`
 * or `${LaunchRole.Arn}`, instead of aws-cdk-lib's placeholder (`${Token[TOKEN.17]}`).
 */
export function describeToken(stack: Stack, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  try {
    return renderIntrinsic(stack.resolve(value));
  } catch {
    return '(a value known only at deploy time)';
  }
}

function renderIntrinsic(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  const join = joinedParts(value);
  if (join) return join.map(renderIntrinsic).join('');
  const intrinsic = value as Record<string, unknown>;
  if (typeof intrinsic.Ref === 'string') return `\${${intrinsic.Ref}}`;
  const getAtt = intrinsic['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `\${${getAtt.join('.')}}`;
  return `\${${JSON.stringify(value)}}`;
}

function joinedParts(value: unknown): unknown[] | undefined {
  const join = (value as Record<string, unknown> | null)?.['Fn::Join'];
  return Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) ? join[1] : undefined;
}

/** Marks a stack told once that its principals' account and partition are checked at deploy time. */
const DEPLOY_TIME_CHECKS_NOTED = Symbol.for('cdk-provisioned-product-properties.deployTimeChecksNoted');

/**
 * Says once per stack, as an info annotation, which checks move to deploy time because the stack
 * has no literal account or region (cdk init's default): nothing at synth can say the principal is
 * in the stack's account or partition, so the handler checks it before it calls Service Catalog.
 */
export function noteDeployTimeChecks(stack: Stack): void {
  const { account, partition } = synthEnvironment(stack);
  const marked = stack as Stack & { [DEPLOY_TIME_CHECKS_NOTED]?: boolean };
  if ((account !== undefined && partition !== undefined) || marked[DEPLOY_TIME_CHECKS_NOTED]) return;
  marked[DEPLOY_TIME_CHECKS_NOTED] = true;
  const unknown = [account === undefined ? 'account' : undefined, partition === undefined ? 'partition' : undefined]
    .filter((part) => part !== undefined);
  const give = [account === undefined ? 'a literal account' : undefined,
    partition === undefined ? 'a literal region (and the feature flag @aws-cdk/core:enablePartitionLiterals, which cdk init sets)' : undefined]
    .filter((part) => part !== undefined);
  Annotations.of(stack).addInfo(`cdk-provisioned-product-properties: the stack's ${unknown.join(' and ')} `
    + `${unknown.length > 1 ? 'are' : 'is'} not known at synth, so the check that owner and launchRole are of the stack's `
    + `${unknown.join(' and ')} runs at deploy time, in the handler, before it calls Service Catalog. To check it at synth, `
    + `give the stack an env with ${give.join(' and ')}.`);
}

/** The stack's account and partition, where synth knows them. */
export function synthEnvironment(stack: Stack): StackEnvironment {
  return {
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    partition: Token.isUnresolved(stack.partition) ? undefined : stack.partition,
  };
}

/** The product a token id points to, such as `CfnCloudFormationProvisionedProduct.attrProvisionedProductId`. */
export function targetProduct(provisionedProductId: string | undefined): servicecatalog.CfnCloudFormationProvisionedProduct | undefined {
  if (provisionedProductId === undefined || !Token.isUnresolved(provisionedProductId)) {
    return undefined;
  }
  const reference = Tokenization.reverseString(provisionedProductId).firstToken;
  return reference instanceof Reference && reference.target instanceof servicecatalog.CfnCloudFormationProvisionedProduct
    ? reference.target
    : undefined;
}

/** `launchRole` is an IAM role construct (`iam.IRole`); from JavaScript or Python an ARN string may arrive instead. */
export function validateLaunchRoleIsRole(launchRole: unknown): void {
  if (launchRole !== undefined && typeof (launchRole as { roleArn?: unknown } | null)?.roleArn !== 'string') {
    throw new PropertyValidationError('launchRole', launchRole, 'expected an IAM role (iam.IRole), not its ARN; for a role '
      + 'of another stack or outside the app, use iam.Role.fromRoleArn(this, \'LaunchRole\', arn).');
  }
}
