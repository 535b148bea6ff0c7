import { Arn, ArnFormat, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { PropertyValidationError, parseOwnerArn, validateSameAccount, validateSamePartition } from './shared/validation';

/**
 * A fully known ARN gets the full rules. An ARN with tokens in it (such as the partition or
 * account of `Role.fromRoleName`) is split with `Arn.split` and its known parts are checked.
 */
export function validatePrincipal(arn: string, field: string, parse: typeof parseOwnerArn, stack: Stack): void {
  const stackAccount = Token.isUnresolved(stack.account) ? undefined : stack.account;
  const stackPartition = Token.isUnresolved(stack.partition) ? undefined : stack.partition;
  if (!Token.isUnresolved(arn)) {
    const principal = parse(arn, field);
    if (stackPartition) validateSamePartition(principal.partition, arn, field, stackPartition);
    if (stackAccount) validateSameAccount(principal.account, arn, field, stackAccount);
    return;
  }
  if (!arn.startsWith('arn:')) {
    return; // wholly a token, such as a role created in this app: nothing is known yet
  }
  const parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  const known = (value: string | undefined) => value !== undefined && !Token.isUnresolved(value);
  const expectedTypes = field === 'owner' ? ['iam:user', 'iam:role', 'sts:assumed-role'] : ['iam:role'];
  if (known(parts.service) && known(parts.resource) && !expectedTypes.includes(`${parts.service}:${parts.resource}`)) {
    throw new PropertyValidationError(field, arn, `expected an ARN of type ${expectedTypes.join(' or ')}, `
      + `but it names ${parts.service}:${parts.resource}.`);
  }
  if (stackPartition && known(parts.partition)) {
    validateSamePartition(parts.partition!, arn, field, stackPartition);
  }
  if (stackAccount && known(parts.account)) {
    validateSameAccount(parts.account!, arn, field, stackAccount);
  }
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
