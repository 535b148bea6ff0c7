/** The CloudFormation fake, through the real SDK: paging, the resource table, and errors. */
import { CloudFormationClient, ListStackResourcesCommand, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { CloudFormationFake } from './cloudformation-fake/server';

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/guid';
let fake: CloudFormationFake;
let client: CloudFormationClient;

beforeAll(async () => {
  fake = await CloudFormationFake.start();
  client = new CloudFormationClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await fake.stop();
});

test('lists the resources set for the stack, across pages, as the SDK parses them', async () => {
  for (const [i, status] of ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_IN_PROGRESS'].entries()) {
    fake.setResource(STACK, { logicalId: `R${i}`, physicalId: `pp-${i}/restore:x&y`, type: 'Custom::ProvisionedProductProperties', status });
  }
  fake.setResource(STACK, { logicalId: 'R0', physicalId: 'pp-0', type: 'Custom::ProvisionedProductProperties', status: 'UPDATE_COMPLETE' });
  const listed = [];
  for await (const page of paginateListStackResources({ client }, { StackName: STACK })) listed.push(...page.StackResourceSummaries ?? []);
  expect(listed.map((r) => [r.LogicalResourceId, r.PhysicalResourceId, r.ResourceStatus])).toEqual([
    ['R1', 'pp-1/restore:x&y', 'UPDATE_COMPLETE'], ['R2', 'pp-2/restore:x&y', 'DELETE_IN_PROGRESS'], ['R0', 'pp-0', 'UPDATE_COMPLETE'],
  ]);
  expect(listed[0].LastUpdatedTimestamp).toBeInstanceOf(Date);
  expect(fake.calls.filter((c) => c === STACK)).toHaveLength(2);
});

test('an unknown stack answers ValidationError, as CloudFormation does', async () => {
  await expect(client.send(new ListStackResourcesCommand({ StackName: 'nope' }))).rejects.toMatchObject({ name: 'ValidationError' });
});
