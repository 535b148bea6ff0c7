/**
 * Errors that stand out and never crash (issue 18 §4): any value where a string belongs gets a
 * message naming the prop; a token is shown in Fn::Sub syntax; an Aspect's error is said once; the
 * app is named the same way everywhere; the error is aws-cdk-lib's kind, its stack starting at the
 * user's line; a value that is literal once the stack resolves it is checked at synth; a stack
 * with no env is told once that the account and partition checks run at deploy time.
 */
import { App, AspectPriority, Aspects, Aws, CfnResource, Errors, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { EnforceProvisionedProductProperties, ProvisionedProductProperties, ProvisionedProductPropertiesProps } from '../../lib';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/PlatformTeam`;
const env = { account: ACCOUNT, region: 'us-east-1' };

function declare(stack: Stack, props: Record<string, unknown>, id = 'Ownership') {
  return new ProvisionedProductProperties(stack, id, { provisionedProductId: 'pp-abc123', ...props } as ProvisionedProductPropertiesProps);
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('a value that is not a string gets a message naming the prop, not a crash', () => {
  test('an iam.Role given as owner (easy in JavaScript and Python)', () => {
    const stack = new Stack(new App(), 'Stack', { env });
    const owner = new iam.Role(stack, 'Team', { assumedBy: new iam.AccountRootPrincipal() });
    expect(thrown(() => declare(stack, { owner })).message).toBe("ProvisionedProductProperties at 'Stack/Ownership': Invalid owner "
      + '(an aws-cdk-lib.aws_iam.Role object, not a string): expected an IAM user, IAM role or STS assumed-role ARN, such as '
      + '"arn:aws:iam::123456789012:role/PlatformTeam". Pass its ARN instead (its roleArn). '
      + '[props named as in TypeScript and Java; Python: owner; C# and Go: Owner]');
  });

  test.each([
    ['a number', 42, 'Invalid owner 42:'],
    ['an array', [OWNER], 'Invalid owner (an array, not a string):'],
    ['a plain object', { arn: OWNER }, 'Invalid owner (an Object object, not a string):'],
  ])('%s given as owner', (_title, owner, message) => {
    expect(() => declare(new Stack(new App(), 'Stack', { env }), { owner })).toThrow(message);
  });

  test('an ARN string given as launchRole names what to pass', () => {
    expect(() => declare(new Stack(new App(), 'Stack', { env }), { launchRole: OWNER }))
      .toThrow(`Invalid launchRole "${OWNER}": expected an IAM role (iam.IRole), not its ARN`);
  });

  test('the Aspect refuses an iam.Role as owner and an ARN as launchRole the same way', () => {
    const stack = new Stack(new App(), 'Stack', { env });
    const owner = new iam.Role(stack, 'Team', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => new EnforceProvisionedProductProperties({ owner: owner as never }))
      .toThrow('EnforceProvisionedProductProperties: Invalid owner (an aws-cdk-lib.aws_iam.Role object, not a string)');
    expect(() => new EnforceProvisionedProductProperties({ launchRole: OWNER as never }))
      .toThrow(`EnforceProvisionedProductProperties: Invalid launchRole "${OWNER}": expected an IAM role (iam.IRole)`);
  });
});

test('a token is shown in Fn::Sub syntax, not as an aws-cdk-lib placeholder', () => {
  const stack = new Stack(new App(), 'Stack', { env });
  const message = thrown(() => declare(stack, { owner: `arn:${Aws.PARTITION}:iam::999999999999:role/X` })).message;
  expect(message).toContain('Invalid owner "arn:${AWS::Partition}:iam::999999999999:role/X": the principal is in account 999999999999');
  expect(message).not.toContain('Token[');
});

test('a role of a stack in another account, with a physical name, is literal once resolved, and is checked at synth', () => {
  const app = new App();
  const other = new Stack(app, 'Other', { env: { account: '999999999999', region: 'us-east-1' } });
  const launchRole = new iam.Role(other, 'LaunchRole', { roleName: 'SCLaunchRole', assumedBy: new iam.ServicePrincipal('servicecatalog.amazonaws.com') });
  expect(() => declare(new Stack(app, 'Stack', { env }), { launchRole }))
    .toThrow('Invalid launchRole "arn:${AWS::Partition}:iam::999999999999:role/SCLaunchRole": the principal is in account 999999999999, '
      + 'but the stack deploys to account 123456789012');
});

describe('the error is a ValidationError that starts at the user\'s line', () => {
  test('from the construct', () => {
    const error = thrown(() => declare(new Stack(new App(), 'Stack', { env }), { owner: 'bob' }));
    expect(error.name).toBe('ValidationError');
    expect(Errors.isValidationError(error)).toBe(true);
    const lines = error.stack!.split('\n');
    expect(lines[0]).toBe(`ValidationError: ${error.message}`);
    expect(lines[1]).toBe('    at path [Stack/Ownership]');
    expect(lines[2]).toContain('error-presentation.test.ts');
    expect(error.stack).not.toMatch(/provisioned-product-properties\.(ts|js)/);
  });

  test('from the Aspect\'s props', () => {
    const error = thrown(() => new EnforceProvisionedProductProperties({ owner: 'bob' }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.stack!.split('\n')[1]).toContain('error-presentation.test.ts');
  });

  test('from a declaration the Aspect adds: said once, no [cause], the app named as "the app"', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Product', { productName: 'p', provisioningArtifactName: 'v1' });
    Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: 'arn:aws:iam::999999999999:role/X' }),
      { priority: AspectPriority.MUTATING });
    const error = thrown(() => app.synth());
    expect(error.message).toMatch(/^EnforceProvisionedProductProperties applied to the app, declaring provisioned product 'Stack\/Product': Invalid owner/);
    expect(error.message.match(/Invalid owner/g)).toHaveLength(1);
    expect(error.cause).toBeUndefined();
    expect(Errors.isValidationError(error)).toBe(true);
  });
});

test('two Aspects on the app name it "the app", as every other message does', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Product', { productName: 'p', provisioningArtifactName: 'v1' });
  Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: OWNER }), { priority: AspectPriority.MUTATING });
  Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: OWNER }), { priority: AspectPriority.MUTATING });
  app.synth();
  Annotations.fromStack(stack).hasError('/Stack/Product', Match.stringLikeRegexp("applied to the same scope, the app, so which one"));
});

describe('a stack with no literal account or region is told once that those checks run at deploy time', () => {
  const infos = (stack: Stack) => Annotations.fromStack(stack).findInfo('/Stack', Match.stringLikeRegexp('runs at deploy time'));

  test('no env: account and partition, once for two declarations', () => {
    const stack = new Stack(new App(), 'Stack');
    declare(stack, { owner: OWNER });
    declare(stack, { owner: OWNER, provisionedProductId: 'pp-def456' }, 'Second');
    expect(infos(stack).map((i) => i.entry.data)).toEqual(["cdk-provisioned-product-properties: the stack's account and partition are "
      + "not known at synth, so the check that owner and launchRole are of the stack's account and partition runs at deploy time, "
      + 'in the handler, before it calls Service Catalog. To check it at synth, give the stack an env with a literal account and a '
      + 'literal region (and the feature flag @aws-cdk/core:enablePartitionLiterals, which cdk init sets).']);
  });

  test('a literal account and region with partition literals: nothing to say', () => {
    const stack = new Stack(new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } }), 'Stack', { env });
    declare(stack, { owner: OWNER });
    expect(infos(stack)).toEqual([]);
  });
});

test('a plain CfnResource of the provisioned product type is not taken for a second copy of aws-cdk-lib', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  new CfnResource(stack, 'Raw', { type: 'AWS::ServiceCatalog::CloudFormationProvisionedProduct', properties: { ProductName: 'p' } });
  Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: OWNER }), { priority: AspectPriority.MUTATING });
  expect(() => app.synth()).not.toThrow();
});
