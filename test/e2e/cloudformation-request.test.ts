/**
 * The request builder against templates our construct synthesizes: what CloudFormation sends
 * (every property, scalars as strings, intrinsics resolved) and what it cannot send.
 */
import { App, CfnParameter, CustomResource, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ProvisionedProductProperties } from '../../lib';
import {
  RESPONSE_URL_SECRET, STACK_ID, TemplateResource, createRequest, deleteRequest, handEdited, resourceOf, updateRequest,
} from './cloudformation-request';
import { ACCOUNT, arn, synthesizedResource } from './e2e-setup';

const OWNER = arn('role/Owner');
const declared = synthesizedResource({ id: 'pp-builder0001', owner: OWNER });

function templateWith(populate: (stack: Stack) => void): Template {
  const stack = new Stack(new App(), 'Example', { env: { account: ACCOUNT, region: 'us-east-1' } });
  populate(stack);
  return Template.fromStack(stack);
}

describe('a Create from the synthesized template', () => {
  const request = createRequest(declared);

  test('carries every property of the resource, ServiceToken and ServiceTimeout included', () => {
    expect(Object.keys(request.ResourceProperties).sort()).toEqual(Object.keys(declared.properties).sort());
    expect(declared.properties.ServiceTimeout).toBeDefined();
    // Already strings in the template: sent as they are (the GetAtt is resolved, below).
    for (const key of Object.keys(declared.properties).filter((k) => k !== 'ServiceToken')) {
      expect(request.ResourceProperties[key]).toBe(declared.properties[key]);
    }
  });

  test('resolves the ServiceToken GetAtt to the ARN of the function it names, and repeats it and ServiceTimeout at the top level', () => {
    const [target, attribute] = (declared.properties.ServiceToken as any)['Fn::GetAtt'];
    expect(attribute).toBe('Arn');
    expect(declared.template.Resources[target].Type).toBe('AWS::Lambda::Function');
    // Named as CloudFormation names functions: stack and logical id, in at most 64 characters.
    const [prefix, name] = request.ResourceProperties.ServiceToken.split(':function:');
    expect(prefix).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}`);
    expect(name).toBe(`Example-${target}`.slice(0, 64));
    expect(request.ServiceToken).toBe(request.ResourceProperties.ServiceToken);
    expect(request.ServiceTimeout).toBe(request.ResourceProperties.ServiceTimeout);
  });

  test('names the template\'s logical id and type, the stack, and a presigned ResponseURL for this request', () => {
    expect(request).toMatchObject({ RequestType: 'Create', LogicalResourceId: declared.logicalId, ResourceType: declared.type, StackId: STACK_ID });
    expect(request.ResponseURL).toContain(`%7C${declared.logicalId}%7C${request.RequestId}?`);
    expect(request.ResponseURL).toContain(RESPONSE_URL_SECRET);
    expect(request).not.toHaveProperty('PhysicalResourceId');
    expect(request).not.toHaveProperty('OldResourceProperties');
    expect(createRequest(declared, { requestId: 'again' }).RequestId).toBe('again');
  });
});

test('Update carries the old template\'s properties as OldResourceProperties, and the physical id', () => {
  const changed = synthesizedResource({ id: 'pp-builder0001', owner: arn('role/NewOwner') });
  const request = updateRequest(changed, { resource: declared, physicalResourceId: 'pp-builder0001' });
  expect(request).toMatchObject({ RequestType: 'Update', PhysicalResourceId: 'pp-builder0001' });
  expect(request.ResourceProperties.Owner).toBe(arn('role/NewOwner'));
  expect(request.OldResourceProperties).toEqual(createRequest(declared).ResourceProperties);
});

test('Delete carries the resource\'s properties and the physical id', () => {
  const request = deleteRequest(declared, 'pp-builder0001');
  expect(request).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'pp-builder0001' });
  expect(request.ResourceProperties).toEqual(createRequest(declared).ResourceProperties);
});

test('a hand edit turns scalars into strings, keeping lists and maps in shape; undefined removes a key', () => {
  const edited = handEdited(declared, { TimeoutSeconds: 90, RestoreOnDelete: true, Tags: [{ Key: 'n', Value: 1 }], Owner: undefined });
  const properties = createRequest(edited).ResourceProperties;
  expect(properties).toMatchObject({ TimeoutSeconds: '90', RestoreOnDelete: 'true', Tags: [{ Key: 'n', Value: '1' }] });
  expect(properties).not.toHaveProperty('Owner');
  expect(declared.properties.Owner).toBe(OWNER);
});

describe('intrinsics', () => {
  const withProductId = (value: unknown): TemplateResource => handEdited(declared, { ProvisionedProductId: value });

  test('pseudo parameters, parameter defaults and Fn::Join resolve against the stack', () => {
    const template = templateWith((stack) => new ProvisionedProductProperties(stack, 'Ownership', {
      provisionedProductId: new CfnParameter(stack, 'ProductId', { default: 'pp-default00001' }).valueAsString,
      owner: Fn.join('', ['arn:', Stack.of(stack).partition, ':iam::', Stack.of(stack).account, ':role/Owner']),
    }));
    const properties = createRequest(resourceOf(template)).ResourceProperties;
    expect(properties).toMatchObject({ ProvisionedProductId: 'pp-default00001', Owner: OWNER });
  });

  test('a value given in resolve wins, for a Ref or a GetAtt', () => {
    const ref = withProductId({ Ref: 'ProductId' });
    expect(createRequest(ref, { resolve: { ProductId: 'pp-given' } }).ResourceProperties.ProvisionedProductId).toBe('pp-given');
    const getAtt = withProductId({ 'Fn::GetAtt': ['Product', 'ProvisionedProductId'] });
    expect(createRequest(getAtt, { resolve: { 'Product.ProvisionedProductId': 'pp-att' } }).ResourceProperties.ProvisionedProductId).toBe('pp-att');
  });

  test.each([
    ['a Ref of an unknown logical id', { Ref: 'Nowhere' }],
    ['a GetAtt with no rule', { 'Fn::GetAtt': ['Product', 'ProvisionedProductId'] }],
    ['an unsupported function', { 'Fn::ImportValue': 'SharedProductId' }],
  ])('%s fails loudly, naming the property, instead of passing the object through', (_title, value) => {
    expect(() => createRequest(withProductId(value))).toThrow(/^Ownership\w*\.ProvisionedProductId: cannot resolve .*give its value in RequestOptions\.resolve$/);
  });
});

test('a custom resource with no ServiceTimeout in its template has none at the top level either', () => {
  const template = templateWith((stack) => new CustomResource(stack, 'Plain', {
    serviceToken: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:handler`, resourceType: 'Custom::ProvisionedProductProperties',
    properties: { ProvisionedProductId: 'pp-plain000001' },
  }));
  const request = createRequest(resourceOf(template));
  expect(request).not.toHaveProperty('ServiceTimeout');
  expect(request.ResourceProperties).toEqual({ ServiceToken: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:handler`, ProvisionedProductId: 'pp-plain000001' });
});
