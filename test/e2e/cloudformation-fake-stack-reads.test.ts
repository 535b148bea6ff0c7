/** The CloudFormation fake's stack reads (DescribeStacks, GetTemplate, ListExports) and denied actions, through the real SDK. */
import {
  CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand, paginateListExports,
} from '@aws-sdk/client-cloudformation';
import { CloudFormationFake } from './cloudformation-fake/server';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Reads/guid';
const TEMPLATE = { Resources: { Ownership: { Type: 'Custom::ProvisionedProductProperties', Properties: { Owner: 'a&b <c>' } } } };
let fake: CloudFormationFake;
let client: CloudFormationClient;

beforeAll(async () => {
  fake = await CloudFormationFake.start();
  client = new CloudFormationClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  fake.ensureStack(STACK_ID);
  fake.stackReads.setStack({ stackName: 'Reads', stackId: STACK_ID, status: 'UPDATE_COMPLETE', parameters: { Owner: 'arn:aws:iam::123456789012:role/X' }, template: TEMPLATE });
});
afterAll(async () => {
  client.destroy();
  await fake.stop();
});

test('DescribeStacks by name or id: the status, the id and the parameters; a missing stack is a ValidationError', async () => {
  for (const name of ['Reads', STACK_ID]) {
    const [stack] = (await client.send(new DescribeStacksCommand({ StackName: name }))).Stacks!;
    expect(stack).toMatchObject({ StackName: 'Reads', StackId: STACK_ID, StackStatus: 'UPDATE_COMPLETE', Parameters: [{ ParameterKey: 'Owner', ParameterValue: 'arn:aws:iam::123456789012:role/X' }] });
  }
  await expect(client.send(new DescribeStacksCommand({ StackName: 'Missing' }))).rejects.toMatchObject({ name: 'ValidationError', message: 'Stack with id Missing does not exist' });
});

test('GetTemplate returns the deployed template as it was sent', async () => {
  const { TemplateBody } = await client.send(new GetTemplateCommand({ StackName: STACK_ID, TemplateStage: 'Original' }));
  expect(JSON.parse(TemplateBody!)).toEqual(TEMPLATE);
});

test('ListExports pages every export', async () => {
  for (const i of [1, 2, 3]) fake.stackReads.setExport(`export-${i}`, `value-${i}`, STACK_ID);
  const exports = [];
  for await (const page of paginateListExports({ client }, {})) exports.push(...page.Exports ?? []);
  expect(exports.map((e) => [e.Name, e.Value, e.ExportingStackId])).toEqual([1, 2, 3].map((i) => [`export-${i}`, `value-${i}`, STACK_ID]));
});

test('a denied action answers AccessDenied naming it, for every stack or for one', async () => {
  fake.stackReads.denied.add('GetTemplate:Reads');
  fake.stackReads.denied.add('ListStackResources');
  try {
    await expect(client.send(new GetTemplateCommand({ StackName: STACK_ID }))).rejects.toMatchObject({
      name: 'AccessDenied', message: expect.stringContaining('is not authorized to perform: cloudformation:GetTemplate'),
    });
    await expect(client.send(new ListStackResourcesCommand({ StackName: STACK_ID }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(client.send(new DescribeStacksCommand({ StackName: 'Reads' }))).resolves.toBeDefined();
  } finally {
    fake.stackReads.denied.clear();
  }
});
