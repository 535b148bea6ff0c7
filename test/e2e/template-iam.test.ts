/**
 * The fakes' reading of a synthesized template's IAM (cloudformation-fake/template-iam.ts), on the
 * construct's own templates: the ledger parameters the handler names (lib/shared/ledger.ts) are
 * what its role may read and write, and the SSM fake of the end-to-end setup applies the template in force.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ProvisionedProductComplianceRule, ProvisionedProductProperties } from '../../lib';
import { ledgerParameterName } from '../../lib/shared/ledger';
import { STACK_ID, TemplateJson } from './cloudformation-request';
import { functionAllowed, handlerAllowed } from './cloudformation-fake/template-iam';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';

const ledgerArn = (productId: string, region = 'us-east-1', account = ACCOUNT) =>
  `arn:aws:ssm:${region}:${account}:parameter${ledgerParameterName(productId)}`;

function templateOf(build: (stack: Stack) => void, env: { account?: string; region?: string } = { account: ACCOUNT, region: 'us-east-1' }): TemplateJson {
  const stack = new Stack(new App(), 'Example', { env });
  build(stack);
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

const declared = (stack: Stack) => new ProvisionedProductProperties(stack, 'Ownership', {
  provisionedProductId: 'pp-1', owner: arn('role/Owner'), driftCorrection: events.Schedule.rate(Duration.hours(1)),
});

test('the handler role reads and writes the ledger parameter of a product, in its own account and Region only, and deletes none', () => {
  const template = templateOf(declared);
  for (const action of ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter']) {
    expect(handlerAllowed(template, action, ledgerArn('pp-abc123def4567'))).toBe(true);
  }
  expect(handlerAllowed(template, 'ssm:DeleteParameter', ledgerArn('pp-1'))).toBe(false);
  expect(handlerAllowed(template, 'ssm:GetParametersByPath', ledgerArn('pp-1'))).toBe(false);
  expect(handlerAllowed(template, 'ssm:PutParameter', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/other/pp-1`)).toBe(false);
  expect(handlerAllowed(template, 'ssm:PutParameter', ledgerArn('pp-1', 'eu-west-1'))).toBe(false);
  expect(handlerAllowed(template, 'ssm:PutParameter', ledgerArn('pp-1', 'us-east-1', '999999999999'))).toBe(false);
  // The drift function shares the handler role.
  expect(functionAllowed(template, 'index.correctDrift', 'ssm:PutParameter', ledgerArn('pp-1'))).toBe(true);
});

test('the other grants resolve too: ListStackResources on the stack itself, Service Catalog on "*"', () => {
  const template = templateOf(declared);
  expect(handlerAllowed(template, 'cloudformation:ListStackResources', STACK_ID)).toBe(true);
  expect(handlerAllowed(template, 'cloudformation:ListStackResources', STACK_ID.replace('/Example/', '/Other/'))).toBe(false);
  expect(handlerAllowed(template, 'servicecatalog:UpdateProvisionedProductProperties', 'arn:aws:servicecatalog:us-east-1:1:stack/x/pp-1')).toBe(true);
});

test('a stack with no literal account or Region: the pseudo parameters resolve from the stack it is deployed as', () => {
  const template = templateOf(declared, {});
  const stackId = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Example/guid';
  expect(handlerAllowed(template, 'ssm:PutParameter', ledgerArn('pp-1', 'eu-west-1', '111111111111'), stackId)).toBe(true);
  expect(handlerAllowed(template, 'ssm:PutParameter', ledgerArn('pp-1'), stackId)).toBe(false);
});

test('managedPoliciesOnly: the grant is read from the role\'s managed policy', () => {
  const template = templateOf((stack) => {
    ProvisionedProductProperties.configureProvider(stack, { managedPoliciesOnly: true });
    declared(stack);
  });
  expect(Object.values(template.Resources).some((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r).includes('ssm:'))).toBe(false);
  expect(handlerAllowed(template, 'ssm:PutParameter', ledgerArn('pp-1'))).toBe(true);
});

test('the Config rule\'s role reads the ledger and writes nothing there', () => {
  const template = templateOf((stack) => {
    declared(stack);
    new ProvisionedProductComplianceRule(stack, 'Compliance');
  });
  expect(functionAllowed(template, 'index.evaluateCompliance', 'ssm:GetParameters', ledgerArn('pp-1'))).toBe(true);
  expect(functionAllowed(template, 'index.evaluateCompliance', 'ssm:PutParameter', ledgerArn('pp-1'))).toBe(false);
});

describe('the end-to-end setup\'s SSM fake', () => {
  const e2e = useEndToEnd();
  const client = () => new SSMClient({ maxAttempts: 1 });

  test('applies the handler role of the template in force, through the SDK the handler uses', async () => {
    const c = client();
    try {
      await c.send(new PutParameterCommand({ Name: ledgerParameterName('pp-iam1'), Value: '{}', Type: 'String', Overwrite: true }));
      await expect(c.send(new PutParameterCommand({ Name: '/other/pp-iam1', Value: '{}', Type: 'String' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
      // A template in force without the ledger's statement (hand-edited): reads are refused from then on.
      const template = templateOf(declared) as any;
      for (const resource of Object.values(template.Resources) as any[]) {
        if (resource.Type !== 'AWS::IAM::Policy') continue;
        resource.Properties.PolicyDocument.Statement = resource.Properties.PolicyDocument.Statement.filter((s: any) => s.Sid !== 'LedgerOfGovernedProducts');
      }
      e2e.cloudFormation.setTemplateInForce(STACK_ID, template);
      await expect(c.send(new GetParameterCommand({ Name: ledgerParameterName('pp-iam1') }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
      expect(e2e.ssm.calls().map((call) => call.outcome)).toEqual(['ok', 'AccessDeniedException', 'AccessDeniedException']);
    } finally {
      c.destroy();
    }
  });
});
