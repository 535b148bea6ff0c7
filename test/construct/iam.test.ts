import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../../lib';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/PlatformTeam`;
const PASS_ROLE_CONDITION = { StringEquals: { 'iam:PassedToService': 'servicecatalog.amazonaws.com' } };

function newStack() {
  return new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
}

function handlerInlineStatements(template: Template): any[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const [id] = Object.keys(policies).filter((k) => k.includes('HandlerRoleDefaultPolicy'));
  return policies[id].Properties.PolicyDocument.Statement;
}

function passRolePolicies(template: Template): Record<string, any> {
  return template.findResources('AWS::IAM::ManagedPolicy');
}

/** A realistic CloudFormation-generated role name: stack, logical id and a 12-character suffix. */
const launchRoleArn = (i: number) => `arn:aws:iam::${ACCOUNT}:role/ProvisionedProductsStack-LaunchRole${String(i).padStart(3, '0')}A1B2C3D4-Xy7Zk9Qw3Rt5`;

/** The ledger's path in a stack with a literal account and Region (lib/shared/ledger.ts). */
const LEDGER_RESOURCE = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:us-east-1:${ACCOUNT}:parameter/cdk-provisioned-product-properties/ledger/*`]],
};
const LEDGER_STATEMENT = {
  Sid: 'LedgerOfGovernedProducts', Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter'], Effect: 'Allow', Resource: LEDGER_RESOURCE,
};

describe('the handler role', () => {
  test('inline: log writing, the four Service Catalog actions the handler calls on *, its own stack\'s listing and the ledger, nothing else', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'P1', { provisionedProductId: 'pp-1', owner: OWNER });
    expect(handlerInlineStatements(Template.fromStack(stack))).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] },
      },
      {
        Sid: 'UpdateAndFollowProvisionedProductProperties',
        Action: [
          'servicecatalog:UpdateProvisionedProductProperties', 'servicecatalog:DescribeRecord',
          'servicecatalog:DescribeProvisionedProduct', 'servicecatalog:SearchProvisionedProducts',
        ],
        Effect: 'Allow',
        Resource: '*',
      },
      { Sid: 'ListOwnStackResourcesForRestoreHandOver', Action: 'cloudformation:ListStackResources', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
      LEDGER_STATEMENT,
    ]);
  });

  test('the ledger, always: read and write (never delete) on the library\'s own parameter path, with or without restoreOnDelete', () => {
    // A cleanup Delete runs under the new template's policy, which may declare nothing any more.
    for (const restoreOnDelete of [true, false]) {
      const stack = newStack();
      new ProvisionedProductProperties(stack, 'P1', { provisionedProductId: 'pp-1', owner: OWNER, restoreOnDelete });
      expect(handlerInlineStatements(Template.fromStack(stack)).filter((st) => JSON.stringify(st).includes('ssm:'))).toEqual([LEDGER_STATEMENT]);
    }
    // A stack without a literal account or Region: the pseudo parameters.
    const agnostic = new Stack(new App(), 'Agnostic');
    new ProvisionedProductProperties(agnostic, 'P1', { provisionedProductId: 'pp-1', owner: OWNER });
    const [statement] = handlerInlineStatements(Template.fromStack(agnostic)).filter((st) => st.Sid === 'LedgerOfGovernedProducts');
    expect(statement.Resource).toEqual({ 'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
      ':parameter/cdk-provisioned-product-properties/ledger/*',
    ]] });
  });

  test('one statement, with or without restoreOnDelete: ListStackResources on the handler\'s own stack only', () => {
    // Granted always: a cleanup Delete of a removed restoreOnDelete declaration runs under the new
    // template's policy, which may have no restoreOnDelete left (issue 17 #2).
    for (const restoreOnDelete of [true, false]) {
      const stack = newStack();
      new ProvisionedProductProperties(stack, 'P1', { provisionedProductId: 'pp-1', owner: OWNER, restoreOnDelete });
      new ProvisionedProductProperties(stack, 'P2', { provisionedProductId: 'pp-2', owner: OWNER });
      const statements = handlerInlineStatements(Template.fromStack(stack));
      expect(statements.filter((st) => JSON.stringify(st).includes('cloudformation:'))).toEqual([{
        Sid: 'ListOwnStackResourcesForRestoreHandOver', Action: 'cloudformation:ListStackResources', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' },
      }]);
    }
  });

  test('without any launch role there is no PassRole in any resource\'s properties', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'P1', { provisionedProductId: 'pp-1', owner: OWNER });
    const template = Template.fromStack(stack);
    expect(passRolePolicies(template)).toEqual({});
    // Properties only: the cdk-nag acknowledgements in Metadata explain why PassRole is not on "*".
    const properties = Object.values(template.toJSON().Resources as Record<string, { Properties?: unknown }>).map((r) => r.Properties);
    expect(JSON.stringify(properties)).not.toContain('iam:PassRole');
  });

  test('PassRole: one statement, scoped to the declared launch roles (each once) and to Service Catalog', () => {
    const stack = newStack();
    const a = iam.Role.fromRoleArn(stack, 'A', `arn:aws:iam::${ACCOUNT}:role/LaunchA`);
    const b = iam.Role.fromRoleArn(stack, 'B', `arn:aws:iam::${ACCOUNT}:role/LaunchB`);
    new ProvisionedProductProperties(stack, 'P1', { provisionedProductId: 'pp-1', owner: OWNER, launchRole: a });
    new ProvisionedProductProperties(stack, 'P2', { provisionedProductId: 'pp-2', launchRole: b });
    new ProvisionedProductProperties(stack, 'P3', { provisionedProductId: 'pp-3', launchRole: a });
    new ProvisionedProductProperties(stack, 'P4', { provisionedProductId: 'pp-4', owner: OWNER });
    const template = Template.fromStack(stack);
    const policies = Object.values(passRolePolicies(template));
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([{
      Sid: 'PassLaunchRolesToServiceCatalog',
      Action: 'iam:PassRole',
      Condition: PASS_ROLE_CONDITION,
      Effect: 'Allow',
      Resource: [`arn:aws:iam::${ACCOUNT}:role/LaunchA`, `arn:aws:iam::${ACCOUNT}:role/LaunchB`],
    }]);
    // Attached through the role's ManagedPolicyArns, so the handlers are created after it.
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role')).filter((k) => k.includes('HandlerRole'));
    expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toEqual([{ Ref: Object.keys(passRolePolicies(template))[0] }]);
  });

  test('400 distinct launch roles fit IAM\'s limits: every managed policy under 6,144 characters, at most 10', () => {
    const stack = newStack();
    for (let i = 0; i < 400; i++) {
      new ProvisionedProductProperties(stack, `P${i}`, { provisionedProductId: `pp-${i}`, launchRole: iam.Role.fromRoleArn(stack, `R${i}`, launchRoleArn(i)) });
    }
    const template = Template.fromStack(stack);
    const policies = Object.values(passRolePolicies(template));
    expect(policies.length).toBeGreaterThan(1);
    expect(policies.length).toBeLessThanOrEqual(10);
    const listed: string[] = [];
    for (const policy of policies) {
      const document = policy.Properties.PolicyDocument;
      expect(JSON.stringify(document).length).toBeLessThanOrEqual(6144);
      expect(document.Statement).toHaveLength(1);
      expect(document.Statement[0].Condition).toEqual(PASS_ROLE_CONDITION);
      listed.push(...document.Statement[0].Resource);
    }
    expect(listed.sort()).toEqual(Array.from({ length: 400 }, (_, i) => launchRoleArn(i)).sort());
    const inline = JSON.stringify(handlerInlineStatements(template));
    expect(inline.length).toBeLessThan(1000);
  });

  test('more launch roles than 10 managed policies hold fail at synth with what to do', () => {
    const stack = newStack();
    expect(() => {
      for (let i = 0; i < 1000; i++) {
        new ProvisionedProductProperties(stack, `P${i}`, { provisionedProductId: `pp-${i}`, launchRole: iam.Role.fromRoleArn(stack, `R${i}`, launchRoleArn(i)) });
      }
    }).toThrow(/the launch roles of stack Stack no longer fit in 10 managed policies of the handler role .* Share launch roles between products, or split the products across stacks\./);
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
