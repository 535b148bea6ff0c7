/** How `plan` resolves template values: the way the deploy will, or "known after the deploy" with why. */
import { globMatches } from '../../cli/assembly';
import { ResolveContext, resolveValue } from '../../cli/resolve';
import type { Template } from '../../cli/template';

const template: Template = {
  Parameters: { Owner: { Type: 'String' }, WithDefault: { Type: 'String', Default: 'arn:aws:iam::123456789012:role/Default' } },
  Mappings: { Owners: { prod: { arn: 'arn:aws:iam::123456789012:role/Prod' } } },
  Resources: {
    Team: { Type: 'AWS::IAM::Role', Properties: { Path: '/platform/' } },
    Plain: { Type: 'AWS::IAM::Role' },
    Product: { Type: 'AWS::ServiceCatalog::CloudFormationProvisionedProduct' },
    NewRole: { Type: 'AWS::IAM::Role' },
    Bucket: { Type: 'AWS::S3::Bucket' },
  },
};

function context(overrides: Partial<ResolveContext> = {}): ResolveContext {
  return {
    template,
    parameters: new Map([['Owner', 'arn:aws:iam::123456789012:role/FromParameter']]),
    physicalIds: new Map([['Team', 'Team-ABC'], ['Plain', 'Plain-DEF'], ['Product', 'pp-deployed123'], ['Bucket', 'my-bucket']]),
    pseudo: { 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::URLSuffix': 'amazonaws.com' },
    exports: () => new Map([['shared-role', 'arn:aws:iam::123456789012:role/Shared']]),
    ...overrides,
  };
}

test.each([
  ['a literal', 'arn:aws:iam::123456789012:role/X', 'arn:aws:iam::123456789012:role/X'],
  ['Ref of a parameter: the value the deploy passes', { Ref: 'Owner' }, 'arn:aws:iam::123456789012:role/FromParameter'],
  ['GetAtt Arn of a role of the stack, with its Path', { 'Fn::GetAtt': ['Team', 'Arn'] }, 'arn:aws:iam::123456789012:role/platform/Team-ABC'],
  ['GetAtt Arn of a role without Path', { 'Fn::GetAtt': ['Plain', 'Arn'] }, 'arn:aws:iam::123456789012:role/Plain-DEF'],
  ['GetAtt ProvisionedProductId: the physical id', { 'Fn::GetAtt': ['Product', 'ProvisionedProductId'] }, 'pp-deployed123'],
  ['Fn::Join with pseudo parameters', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/R']] }, 'arn:aws:iam::123456789012:role/R'],
  ['Fn::Sub with a variable, an attribute and an escape', { 'Fn::Sub': ['${Base}/${Plain.Arn}/${!Literal}', { Base: { Ref: 'AWS::Region' } }] }, 'us-east-1/arn:aws:iam::123456789012:role/Plain-DEF/${Literal}'],
  ['Fn::ImportValue through the exports', { 'Fn::ImportValue': 'shared-role' }, 'arn:aws:iam::123456789012:role/Shared'],
  ['Fn::FindInMap', { 'Fn::FindInMap': ['Owners', 'prod', 'arn'] }, 'arn:aws:iam::123456789012:role/Prod'],
  ['Fn::Select of Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': ['|', 'a|b|c'] }] }, 'b'],
])('%s', (_name, value, expected) => {
  expect(resolveValue(context(), value)).toEqual({ known: true, value: expected });
});

test.each([
  ['a resource not deployed yet', { 'Fn::GetAtt': ['NewRole', 'Arn'] }, 'NewRole (AWS::IAM::Role) is not deployed yet'],
  ['an attribute only CloudFormation knows', { 'Fn::GetAtt': ['Bucket', 'Arn'] }, 'Bucket.Arn is known only after the deploy'],
  ['an export that does not exist yet', { 'Fn::ImportValue': 'later' }, 'the export later does not exist yet'],
  ['a condition', { 'Fn::If': ['IsProd', 'a', 'b'] }, 'Fn::If is evaluated by CloudFormation during the deploy'],
  ['the stack id of a stack not deployed', { Ref: 'AWS::StackId' }, 'AWS::StackId is known once the stack is deployed'],
])('known after the deploy: %s', (_name, value, why) => {
  expect(resolveValue(context(), value)).toEqual({ known: false, why: expect.stringContaining(why) });
});

test('a parameter without a value: known after the deploy; unknown (not after the deploy) when the stack could not be read', () => {
  const noValue = context({ parameters: new Map() });
  expect(resolveValue(noValue, { Ref: 'Owner' })).toEqual({ known: false, why: 'parameter Owner has no value before the deploy' });
  const unreadable = context({ parameters: new Map(), physicalIds: new Map(), stackUnreadable: 'cloudformation:DescribeStacks failed: AccessDenied: no' });
  expect(resolveValue(unreadable, { 'Fn::GetAtt': ['Team', 'Arn'] })).toEqual({ known: false, unreadable: true, why: 'Team: cloudformation:DescribeStacks failed: AccessDenied: no' });
});

test('exports that could not be read make an import unknown, with the reason', () => {
  expect(resolveValue(context({ exports: () => ({ unreadable: 'cloudformation:ListExports failed: AccessDenied: no' }) }), { 'Fn::ImportValue': 'shared-role' }))
    .toEqual({ known: false, why: 'the export shared-role could not be read: cloudformation:ListExports failed: AccessDenied: no' });
});

test.each([
  ['Prod', 'Prod', true], ['Prod/*', 'Prod/Network', true], ['Prod/*', 'Prod/Net/Deep', false], ['Prod/**', 'Prod/Net/Deep', true],
  ['*', 'Prod/Network', false], ['P?od', 'Prod', true], ['Staging/*', 'Prod/Network', false], ['Prod.Net', 'ProdXNet', false],
])('stack pattern %s against %s: %s', (pattern, name, matches) => {
  expect(globMatches(pattern, name)).toBe(matches);
});
