/** An Update that only re-checks (the linked product changed, or checkOnEveryDeploy) reads first and writes only what drifted. */
import {
  DescribeProvisionedProductCommand, SearchProvisionedProductsCommand, ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { onEvent } from '../../../lambda/deploy/handlers';
import { ACCOUNT, LAUNCH, OWNER, cfnEvent, fakeDeps } from '../fixtures';

const sc = mockClient(ServiceCatalogClient);
const declared = cfnEvent().ResourceProperties;
const update = (changes: Record<string, unknown>, previous: Record<string, unknown> = {}) => cfnEvent({
  RequestType: 'Update', PhysicalResourceId: 'pp-1', OldResourceProperties: { ...declared, ...previous },
}, changes);
const live = (owner: string) => {
  sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: owner }] });
  sc.on(DescribeProvisionedProductCommand).resolves({ ProvisionedProductDetail: { Id: 'pp-1', LaunchRoleArn: LAUNCH } });
};

beforeEach(() => {
  sc.reset();
  sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-1', Status: 'CREATED' });
});

test.each([
  ['the linked product\'s definition changed', { ProductRevision: '{"provisioningArtifactName":"v2"}' }, { ProductRevision: '{"provisioningArtifactName":"v1"}' }],
  ['a check on every deploy', { DeployCheck: 'b' }, { DeployCheck: 'a' }],
])('when %s, an Update reads the product, and corrects what drifted', async (_title, now, before) => {
  live(`arn:aws:iam::${ACCOUNT}:user/changed-in-the-console`);
  const result = await onEvent(update(now, before), fakeDeps());
  expect(result.Data).toMatchObject({ Changed: 'true', RecordId: 'rec-1' });
  expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)[0].args[0].input.ProvisionedProductProperties).toEqual({ OWNER, LAUNCH_ROLE: LAUNCH });
});

test('a re-check of a product in the declared state writes nothing', async () => {
  live(OWNER);
  const result = await onEvent(update({ DeployCheck: 'b' }, { DeployCheck: 'a' }), fakeDeps());
  expect(result.Data).toMatchObject({ Changed: 'false', RecordStatus: 'UNCHANGED' });
  expect(sc.commandCalls(SearchProvisionedProductsCommand)).toHaveLength(1);
  expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
});

test('the same revision is still an unchanged declaration: no call at all', async () => {
  const result = await onEvent(update({ ProductRevision: 'r1' }, { ProductRevision: 'r1' }), fakeDeps());
  expect(result.Data).toMatchObject({ RecordStatus: 'UNCHANGED' });
  expect(sc.calls()).toHaveLength(0);
});
