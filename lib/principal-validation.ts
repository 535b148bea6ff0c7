import { Arn, ArnFormat, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { PropertyKey } from './shared/declaration';
import { StackEnvironment, checkPrincipalParts, parsePrincipalArn } from './shared/validation';

/**
 * The shared principal rule (lib/shared/validation.ts) at synth time. A fully known ARN gets it
 * whole. An ARN with tokens in it (such as the partition or account of `Role.fromRoleName`) is
 * split with `Arn.split`, and its known parts get the same rule; a wholly-token ARN (a role of
 * this app) is only known at deploy time, where the handler checks it.
 */
export function validatePrincipal(key: PropertyKey, arn: string, field: string, stack: Stack): void {
  const environment = synthEnvironment(stack);
  if (!Token.isUnresolved(arn)) {
    parsePrincipalArn(key, arn, field, environment);
    return;
  }
  if (!arn.startsWith('arn:')) {
    return;
  }
  const parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  const known = (value: string | undefined) => (value !== undefined && !Token.isUnresolved(value) ? value : undefined);
  const service = known(parts.service);
  const resource = known(parts.resource);
  checkPrincipalParts(key, {
    partition: known(parts.partition), account: known(parts.account),
    type: service !== undefined && resource !== undefined ? `${service}:${resource}` : undefined,
  }, arn, field, environment);
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
