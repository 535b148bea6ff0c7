/**
 * ProvisionedProductProperties.configureProvider: each knob on the synthesized template, the
 * refusals, and one configuration per stack.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ProvisionedProductProperties, ProvisionedProductPropertiesProviderProps } from '../../lib';

const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string };

function configured(config: (stack: Stack) => ProvisionedProductPropertiesProviderProps, drift = false) {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  ProvisionedProductProperties.configureProvider(stack, config(stack));
  new ProvisionedProductProperties(stack, 'P', {
    provisionedProductId: 'pp-1', owner: OWNER,
    launchRole: iam.Role.fromRoleArn(stack, 'Launch', 'arn:aws:iam::123456789012:role/Launch'),
    driftCorrection: drift ? events.Schedule.rate(Duration.hours(1)) : undefined,
  });
  const template = Template.fromStack(stack);
  const all = template.toJSON().Resources as Record<string, Resource>;
  const ofType = (type: string) => Object.entries(all).filter(([, r]) => r.Type === type);
  return { stack, template, all, ofType, functions: ofType('AWS::Lambda::Function'), roles: ofType('AWS::IAM::Role') };
}

const importedVpc = (stack: Stack) => ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
  vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'],
  privateSubnetIds: ['subnet-p1', 'subnet-p2'], isolatedSubnetIds: ['subnet-i1', 'subnet-i2'],
});
const statementsOf = (policies: [string, Resource][]) => policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

describe('VPC', () => {
  test('every function, the framework\'s and drift correction\'s too, runs in the subnets with one shared security group', () => {
    const { functions, ofType } = configured((s) => ({ vpc: importedVpc(s) }), true);
    expect(functions).toHaveLength(6);
    const [[sgId]] = ofType('AWS::EC2::SecurityGroup');
    for (const [, fn] of functions) {
      expect(fn.Properties.VpcConfig).toEqual({ SubnetIds: ['subnet-p1', 'subnet-p2'], SecurityGroupIds: [{ 'Fn::GetAtt': [sgId, 'GroupId'] }] });
    }
    expect(ofType('AWS::EC2::SecurityGroup')).toHaveLength(1);
  });

  test('with the given subnets and security groups, and no security group of its own', () => {
    const { functions, ofType } = configured((s) => ({
      vpc: importedVpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-123')],
    }));
    for (const [, fn] of functions) expect(fn.Properties.VpcConfig).toEqual({ SubnetIds: ['subnet-i1', 'subnet-i2'], SecurityGroupIds: ['sg-123'] });
    expect(ofType('AWS::EC2::SecurityGroup')).toHaveLength(0);
  });

  test('the handler role and both framework roles may manage network interfaces (lambda.Function only adds that to roles it creates)', () => {
    const { ofType, roles } = configured((s) => ({ vpc: importedVpc(s) }));
    const eni = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p).includes('ec2:CreateNetworkInterface'));
    const rolesWithEni = eni.flatMap(([, p]) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref)).sort();
    expect(rolesWithEni).toEqual(roles.map(([id]) => id).filter((id) => !/waiterstatemachine/.test(id)).sort());
    expect(rolesWithEni).toHaveLength(3);
    expect(JSON.stringify(ofType('AWS::IAM::ManagedPolicy').map(([, p]) => p.Properties.ManagedPolicyArns))).not.toContain('VPCAccess');
  });

  test('without a VPC, no VpcConfig and no network-interface permission', () => {
    const { functions, template } = configured(() => ({}));
    for (const [, fn] of functions) expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain('ec2:CreateNetworkInterface');
  });
});

describe('logs', () => {
  test('retention, KMS key and removal policy of the provider\'s log group; the key lets CloudWatch Logs use it', () => {
    const { template, ofType } = configured((s) => ({
      logRetention: logs.RetentionDays.ONE_YEAR, logRemovalPolicy: RemovalPolicy.DESTROY,
      logEncryptionKey: new kms.Key(s, 'Key', { enableKeyRotation: true }),
    }));
    const [[keyId]] = ofType('AWS::KMS::Key');
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } }, DeletionPolicy: 'Delete',
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudWatchLogsEncryptLogGroups', Principal: { Service: 'logs.us-east-1.amazonaws.com' } })]) },
    });
  });

  test('defaults: 30 days, retained, not encrypted with a key of yours', () => {
    const { template } = configured(() => ({}));
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30, KmsKeyId: Match.absent() }, DeletionPolicy: 'Retain' });
  });

  test('a log group of yours: none created, every function logs to it, every role may write to it', () => {
    const { template, functions, ofType } = configured((s) => ({ logGroup: logs.LogGroup.fromLogGroupName(s, 'Mine', 'platform/ppp') }));
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    for (const [, fn] of functions) expect(fn.Properties.LoggingConfig.LogGroup).toBe('platform/ppp');
    const writers = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p).includes('log-group:platform/ppp'));
    expect(writers).toHaveLength(3);
  });
});

describe('roles', () => {
  test('a handler role of yours: used by the handlers, given the statements and the PassRole policy, and waited for', () => {
    const { roles, functions, ofType, all } = configured((s) => ({ handlerRole: iam.Role.fromRoleName(s, 'Mine', 'PlatformPppHandler') }));
    expect(roles.map(([id]) => id).some((id) => /HandlerRole/.test(id))).toBe(false);
    const handlers = functions.filter(([, fn]) => /^index\./.test(fn.Properties.Handler));
    for (const [, fn] of handlers) expect(JSON.stringify(fn.Properties.Role)).toContain('role/PlatformPppHandler');
    const mine = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles) === '["PlatformPppHandler"]');
    expect(JSON.stringify(statementsOf(mine))).toContain('servicecatalog:UpdateProvisionedProductProperties');
    const [[passRoleId, passRole]] = ofType('AWS::IAM::ManagedPolicy');
    expect(passRole.Properties.Roles).toEqual(['PlatformPppHandler']);
    const [, frameworkOnEvent] = functions.find(([, fn]) => fn.Properties.Handler === 'framework.onEvent')!;
    expect(frameworkOnEvent.DependsOn).toContain(passRoleId);
    const [mineId] = mine[0];
    for (const [, fn] of handlers) expect(fn.DependsOn ?? []).toContain(mineId);
    expect(all[mineId]).toBeDefined();
  });

  test('a path and a name prefix for every role the provider creates (the waiter state machine\'s too), the path for its managed policies', () => {
    const { roles, ofType } = configured(() => ({ iamPath: '/platform/', roleNamePrefix: 'ppp-prod-' }));
    expect(roles.map(([, r]) => r.Properties.Path)).toEqual(['/platform/', '/platform/', '/platform/', '/platform/']);
    expect(roles.map(([, r]) => r.Properties.RoleName).sort())
      .toEqual(['ppp-prod-FrameworkOnEvent', 'ppp-prod-FrameworkWaiter', 'ppp-prod-Handler', 'ppp-prod-WaiterStateMachine']);
    expect(ofType('AWS::IAM::ManagedPolicy').map(([, p]) => p.Properties.Path)).toEqual(['/platform/']);
  });

  test('managedPoliciesOnly: the provider\'s roles hold customer managed policies, no inline policy but the waiter\'s', () => {
    const { ofType, roles, functions } = configured(() => ({ managedPoliciesOnly: true }));
    const inline = ofType('AWS::IAM::Policy');
    expect(inline.map(([, p]) => JSON.stringify(p.Properties.Roles))).toEqual([expect.stringMatching(/waiterstatemachineRole/)]);
    const managed = ofType('AWS::IAM::ManagedPolicy');
    expect(managed).toHaveLength(4); // one per role the provider creates, and one PassRole policy
    const [handlerRoleId, handlerRole] = roles.find(([id]) => /HandlerRole/.test(id))!;
    expect(handlerRole.Properties.ManagedPolicyArns).toHaveLength(2);
    expect(JSON.stringify(statementsOf(managed))).toContain('servicecatalog:DescribeRecord');
    for (const [, fn] of functions.filter(([, f]) => /^index\./.test(f.Properties.Handler))) expect(fn.DependsOn).toContain(handlerRoleId);
  });

  test('a permissions boundary applied with iam.PermissionsBoundary reaches every role of the provider', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    iam.PermissionsBoundary.of(stack).apply(iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'PlatformBoundary'));
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
    const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(4);
    for (const role of roles) expect(JSON.stringify(role.Properties.PermissionsBoundary)).toContain(':policy/PlatformBoundary');
  });

  test('iam.Role.customizeRoles with precreated roles: no role is created, and the functions run on the precreated ones', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const provider = 'S/ProvisionedProductPropertiesProvider';
    iam.Role.customizeRoles(stack, {
      usePrecreatedRoles: {
        [`${provider}/HandlerRole`]: 'ppp-handler', [`${provider}/FrameworkOnEventRole`]: 'ppp-framework-on-event',
        [`${provider}/FrameworkWaiterRole`]: 'ppp-framework-waiter', [`${provider}/Provider/waiter-state-machine/Role`]: 'ppp-waiter',
      },
    });
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const roles = Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => JSON.stringify(fn.Properties.Role));
    expect(roles.filter((r) => r.includes('role/ppp-handler'))).toHaveLength(2);
    expect(roles.filter((r) => r.includes('role/ppp-framework-'))).toHaveLength(3);
  });
});

describe('functions', () => {
  test('environment encryption, reserved concurrency and name prefix on all six functions; the roles may decrypt', () => {
    const { functions, ofType } = configured((s) => ({
      environmentEncryption: kms.Key.fromKeyArn(s, 'Env', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      reservedConcurrentExecutions: 3, functionNamePrefix: 'ppp-prod-',
    }), true);
    expect(functions).toHaveLength(6);
    for (const [, fn] of functions) {
      expect(fn.Properties.KmsKeyArn).toBe('arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
      expect(fn.Properties.ReservedConcurrentExecutions).toBe(3);
    }
    expect(functions.map(([, fn]) => fn.Properties.FunctionName).sort()).toEqual(['ppp-prod-DriftCorrection', 'ppp-prod-FrameworkIsComplete',
      'ppp-prod-FrameworkOnEvent', 'ppp-prod-FrameworkOnTimeout', 'ppp-prod-IsComplete', 'ppp-prod-OnEvent']);
    const decrypting = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p).includes('kms:Decrypt'));
    expect(decrypting).toHaveLength(3);
  });

  test('defaults: no key of yours, no reservation, generated names', () => {
    const { functions } = configured(() => ({}));
    for (const [, fn] of functions) {
      expect([fn.Properties.KmsKeyArn, fn.Properties.ReservedConcurrentExecutions, fn.Properties.FunctionName]).toEqual([undefined, undefined, undefined]);
    }
  });
});

describe('one configuration per stack', () => {
  test('survives a second instance in another construct scope, which shares the one configured provider', () => {
    const stack = new Stack(new App(), 'S');
    ProvisionedProductProperties.configureProvider(stack, { functionNamePrefix: 'ppp-' });
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
    const team = new Construct(new Construct(stack, 'Teams'), 'Payments');
    new ProvisionedProductProperties(team, 'P', { provisionedProductId: 'pp-2', owner: OWNER });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 5);
    template.resourceCountIs('Custom::ProvisionedProductProperties', 2);
    const tokens = Object.values(template.findResources('Custom::ProvisionedProductProperties')).map((r) => JSON.stringify(r.Properties.ServiceToken));
    expect(new Set(tokens).size).toBe(1);
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'ppp-OnEvent' });
  });

  test('the same configuration again, from another construct, is accepted', () => {
    const stack = new Stack(new App(), 'S');
    const vpc = importedVpc(stack);
    ProvisionedProductProperties.configureProvider(stack, { vpc, iamPath: '/p/' });
    expect(() => ProvisionedProductProperties.configureProvider(new Construct(stack, 'Other'), { vpc, iamPath: '/p/' })).not.toThrow();
  });

  test('a different configuration is an error that names both', () => {
    const stack = new Stack(new App(), 'S');
    ProvisionedProductProperties.configureProvider(stack, { iamPath: '/p/' });
    expect(() => ProvisionedProductProperties.configureProvider(new Construct(stack, 'Other'), { iamPath: '/q/', reservedConcurrentExecutions: 2 }))
      .toThrow('ProvisionedProductProperties.configureProvider: stack S already has a different provider configuration (with iamPath), '
        + 'and S/Other asks for with iamPath, reservedConcurrentExecutions. A stack has one provider');
  });

  test('configuring after the provider exists is an error that names the first instance', () => {
    const stack = new Stack(new App(), 'S');
    new ProvisionedProductProperties(stack, 'First', { provisionedProductId: 'pp-1', owner: OWNER });
    expect(() => ProvisionedProductProperties.configureProvider(stack, { iamPath: '/p/' }))
      .toThrow('the provider of stack S already exists, created with the default configuration by the first ProvisionedProductProperties (S/First). Call configureProvider before it.');
  });
});

describe('refused configurations name the prop, the value and what to do', () => {
  const refuse = (props: (s: Stack) => ProvisionedProductPropertiesProviderProps) => {
    const stack = new Stack(new App(), 'S');
    return () => ProvisionedProductProperties.configureProvider(stack, props(stack));
  };
  test.each([
    ['subnets without a VPC', () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }), /Invalid vpcSubnets "set without vpc": .* give vpc too/],
    ['a log group of yours with a retention', (s: Stack) => ({ logGroup: logs.LogGroup.fromLogGroupName(s, 'L', 'x'), logRetention: logs.RetentionDays.ONE_DAY }),
      /Invalid logRetention "set with logGroup": .* set them on it, and leave logRetention out here/],
    ['a path without slashes', () => ({ iamPath: 'platform' }), /Invalid iamPath "platform": expected "\/" or a path that starts and ends with "\/"/],
    ['a role name prefix too long', () => ({ roleNamePrefix: 'x'.repeat(47) }), /Invalid roleNamePrefix "x{47}": the longest name it makes, x{47}WaiterStateMachine, has 65 characters, over the limit of 64: use at most 46/],
    ['a function name prefix with a dot', () => ({ functionNamePrefix: 'ppp.prod' }), /Invalid functionNamePrefix "ppp.prod": expected only letters, digits, - and _/],
    ['zero reserved concurrency', () => ({ reservedConcurrentExecutions: 0 }), /Invalid reservedConcurrentExecutions 0: expected a whole number of at least 1 \(0 would stop every function\)/],
  ])('%s', (_name, props, message) => {
    expect(refuse(props)).toThrow(message);
  });

  test('with the names other languages use', () => {
    expect(refuse(() => ({ reservedConcurrentExecutions: 1.5 }))).toThrow(/Python: reserved_concurrent_executions; C# and Go: ReservedConcurrentExecutions\]$/);
  });
});
