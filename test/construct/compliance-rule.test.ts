/** The AWS Config rule's construct: scope, triggers, a function that follows the provider's configuration, and a read-only role. */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { DriftMode, ProvisionedProductComplianceRule, ProvisionedProductProperties } from '../../lib';
import { nagFindings } from '../security/nag';
import { RegulatedStack } from '../security/regulated-stack';

const OWNER = 'arn:aws:iam::123456789012:role/Owner';
const newStack = () => new Stack(new App(), 'Rules', { env: { account: '123456789012', region: 'us-east-1' } });
const complianceFunction = (template: Template) => Object.entries(template.findResources('AWS::Lambda::Function'))
  .find(([, f]) => (f as any).Properties.Handler === 'index.evaluateCompliance')!;

test('a custom Lambda rule scoped to provisioned products, periodic and change-triggered', () => {
  const stack = newStack();
  new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER, driftCorrection: events.Schedule.rate(Duration.hours(1)) });
  new ProvisionedProductComplianceRule(stack, 'Compliance', { maximumExecutionFrequency: config.MaximumExecutionFrequency.SIX_HOURS });
  const template = Template.fromStack(stack);
  const [fnId] = complianceFunction(template);
  template.hasResourceProperties('AWS::Config::ConfigRule', {
    Scope: { ComplianceResourceTypes: ['AWS::ServiceCatalog::CloudFormationProvisionedProduct'] },
    Source: {
      Owner: 'CUSTOM_LAMBDA', SourceIdentifier: { 'Fn::GetAtt': [fnId, 'Arn'] },
      SourceDetails: Match.arrayWith([
        { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
        { EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Six_Hours' },
      ]),
    },
  });
  template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, Principal: 'config.amazonaws.com', SourceAccount: '123456789012' });
});

test('its function follows the provider\'s configuration: VPC, environment key, concurrency, runtime, log group', () => {
  const template = Template.fromStack(new RegulatedStack(new App(), 'Regulated'));
  const [, fn] = complianceFunction(template) as [string, any];
  const drift = Object.values(template.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.Handler === 'index.correctDrift') as any;
  for (const key of ['VpcConfig', 'KmsKeyArn', 'ReservedConcurrentExecutions', 'Runtime', 'Architectures', 'LoggingConfig']) {
    expect(fn.Properties[key]).toEqual(drift.Properties[key]);
  }
  expect(fn.Properties.VpcConfig).toBeDefined();
});

test('its role is its own: it reads and reports, holds no Service Catalog write, and no AWS managed policy', () => {
  const template = Template.fromStack(new RegulatedStack(new App(), 'Regulated'));
  const [, fn] = complianceFunction(template) as [string, any];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const role = template.findResources('AWS::IAM::Role')[roleId] as any;
  expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? [])).not.toMatch(/AWSConfigRulesExecutionRole|aws:policy/);
  const referenced = JSON.stringify(role.Properties.ManagedPolicyArns ?? []);
  const policies = { ...template.findResources('AWS::IAM::ManagedPolicy'), ...template.findResources('AWS::IAM::Policy') };
  const attached = Object.entries(policies)
    .filter(([id, p]: [string, any]) => JSON.stringify(p.Properties.Roles ?? []).includes(`"${roleId}"`) || referenced.includes(`"${id}"`))
    .map(([, p]) => p);
  expect(attached.length).toBeGreaterThan(0);
  const actions = new Set(attached.flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat())));
  expect(actions).toContain('config:PutEvaluations');
  expect(actions).toContain('servicecatalog:SearchProvisionedProducts');
  // The status of our last record, when the ledger names it: then the owner it wrote is in place.
  expect(actions).toContain('servicecatalog:DescribeRecord');
  expect([...actions].filter((a) => /^servicecatalog:(Update|Terminate|Provision)/.test(a as string))).toEqual([]);
  expect(actions).not.toContain('iam:PassRole');
  // The ledger: read, never written.
  expect([...actions].filter((a) => /^ssm:/.test(a as string)).sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
});

test('without a drift schedule in the stack: refused, saying what to do', () => {
  const stack = newStack();
  new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
  expect(() => new ProvisionedProductComplianceRule(stack, 'Compliance')).toThrow(/no declaration of the stack has driftCorrection yet. Give driftCorrection/);
  expect(() => new ProvisionedProductComplianceRule(newStack(), 'Compliance')).toThrow(/has no ProvisionedProductProperties yet/);
});

describe('correctOnChange', () => {
  const declare = (stack: Stack, driftMode?: DriftMode) => new ProvisionedProductProperties(stack, 'P', {
    provisionedProductId: 'pp-1', owner: OWNER, driftCorrection: events.Schedule.rate(Duration.hours(1)), driftMode,
  });

  test('lets the rule\'s role invoke the drift function itself (no version wildcard), named in its environment', () => {
    const stack = newStack();
    declare(stack);
    new ProvisionedProductComplianceRule(stack, 'Compliance', { correctOnChange: true });
    const template = Template.fromStack(stack);
    const driftId = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, f]) => (f as any).Properties.Handler === 'index.correctDrift')![0];
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([
      { Sid: 'CorrectAtOnce', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [driftId, 'Arn'] } },
    ]) } });
    const [, fn] = complianceFunction(template) as [string, any];
    expect(fn.Properties.Environment.Variables).toMatchObject({ COMPLIANCE_CORRECT_ON_CHANGE: 'true', DRIFT_FUNCTION_NAME: { Ref: driftId } });
  });

  test('AwsSolutions and NIST 800-53 R5 find nothing new with it on', () => {
    const app = new App();
    const stack = new RegulatedStack(app, 'Regulated', { driftMode: DriftMode.CORRECT, correctOnChange: true });
    expect(stack.node.tryFindChild('Compliance')).toBeDefined();
    expect(nagFindings(app, AwsSolutionsChecks)).toEqual([]);
    const nist = new App();
    new RegulatedStack(nist, 'Regulated', { driftMode: DriftMode.CORRECT, correctOnChange: true });
    expect(nagFindings(nist, NIST80053R5Checks)).toEqual([]);
  });

  test('refused in a REPORT-mode stack, and without configuration changes', () => {
    const report = newStack();
    declare(report, DriftMode.REPORT);
    expect(() => new ProvisionedProductComplianceRule(report, 'Compliance', { correctOnChange: true })).toThrow(/in driftMode REPORT: a REPORT-mode stack writes nothing/);
    const noChanges = newStack();
    declare(noChanges);
    expect(() => new ProvisionedProductComplianceRule(noChanges, 'Compliance', { correctOnChange: true, configurationChanges: false }))
      .toThrow(/Invalid correctOnChange true with configurationChanges false/);
  });
});
