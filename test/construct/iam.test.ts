import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../../lib';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/PlatformTeam`;

function handlerPolicy(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const [id] = Object.keys(policies).filter((k) => k.includes('HandlerRoleDefaultPolicy'));
  return policies[id].Properties.PolicyDocument.Statement;
}

function newStack() {
  return new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
}

describe('the handler role', () => {
  test('has exactly: log writing, the two Service Catalog actions on *, and PassRole on the declared launch roles', () => {
    const stack = newStack();
    const a = iam.Role.fromRoleArn(stack, 'A', `arn:aws:iam::${ACCOUNT}:role/LaunchA`);
    const b = iam.Role.fromRoleArn(stack, 'B', `arn:aws:iam::${ACCOUNT}:role/LaunchB`);
    new ProvisionedProductProperties(stack, 'P1', { provisionedProductId: 'pp-1', owner: OWNER, launchRole: a });
    new ProvisionedProductProperties(stack, 'P2', { provisionedProductId: 'pp-2', launchRole: b });
    new ProvisionedProductProperties(stack, 'P3', { provisionedProductId: 'pp-3', launchRole: a });
    new ProvisionedProductProperties(stack, 'P4', { provisionedProductId: 'pp-4', owner: OWNER });
    expect(handlerPolicy(stack)).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] },
      },
      {
        Sid: 'UpdateAndFollowProvisionedProductProperties',
        Action: ['servicecatalog:UpdateProvisionedProductProperties', 'servicecatalog:DescribeRecord'],
        Effect: 'Allow',
        Resource: '*',
      },
      {
        Sid: 'PassLaunchRolesToServiceCatalog',
        Action: 'iam:PassRole',
        Condition: { StringEquals: { 'iam:PassedToService': 'servicecatalog.amazonaws.com' } },
        Effect: 'Allow',
        Resource: [`arn:aws:iam::${ACCOUNT}:role/LaunchA`, `arn:aws:iam::${ACCOUNT}:role/LaunchB`],
      },
    ]);
  });

  test('without any launch role there is no PassRole statement at all', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'P1', { provisionedProductId: 'pp-1', owner: OWNER });
    expect(handlerPolicy(stack).map((s) => s.Action)).not.toContainEqual('iam:PassRole');
    expect(JSON.stringify(handlerPolicy(stack))).not.toContain('PassRole');
  });

  test('100 instances with 100 launch roles still have one PassRole statement, listing each role once', () => {
    const stack = newStack();
    for (let i = 0; i < 100; i++) {
      const role = iam.Role.fromRoleArn(stack, `R${i}`, `arn:aws:iam::${ACCOUNT}:role/Launch${i}`);
      new ProvisionedProductProperties(stack, `P${i}`, { provisionedProductId: `pp-${i}`, launchRole: role });
    }
    const statements = handlerPolicy(stack);
    expect(statements).toHaveLength(3);
    const passRole = statements.find((s) => s.Action === 'iam:PassRole');
    expect(passRole.Resource).toHaveLength(100);
    expect(new Set(passRole.Resource).size).toBe(100);
  });

  test('both handler functions use the one handler role', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'P1', { provisionedProductId: 'pp-1', owner: OWNER });
    const template = Template.fromStack(stack);
    const roleIds = Object.values(template.findResources('AWS::Lambda::Function'))
      .filter((fn: any) => /^index\./.test(fn.Properties.Handler))
      .map((fn: any) => fn.Properties.Role['Fn::GetAtt'][0]);
    expect(roleIds).toHaveLength(2);
    expect(new Set(roleIds).size).toBe(1);
    expect(roleIds[0]).toMatch(/HandlerRole/);
  });
});
