/**
 * What the AWS Config rule's end-to-end tests share: a stack with drift correction and the
 * compliance rule "deployed" to the fakes (the drift rule's targets in the EventBridge fake), the
 * Config fake on AWS_ENDPOINT_URL_CONFIG_SERVICE, and the events Config sends the rule's function
 * (AWS Config Developer Guide, "Example Events for AWS Config Rules").
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigFake } from './config-fake/server';
import type { TemplateJson } from './cloudformation-request';
import { DeployedDrift, asFunctionRole, deployDrift, driftAsset } from './drift-setup';
import type { EndToEnd } from './e2e-setup';

export const PRODUCT_TYPE = 'AWS::ServiceCatalog::CloudFormationProvisionedProduct';

/** Starts the Config fake for the test file, and points the SDK at it. */
export function useConfigFake(): { fake: ConfigFake } {
  const holder = {} as { fake: ConfigFake };
  beforeAll(async () => {
    holder.fake = await ConfigFake.start();
    process.env.AWS_ENDPOINT_URL_CONFIG_SERVICE = holder.fake.endpoint;
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_CONFIG_SERVICE;
    await holder.fake?.stop();
  });
  return holder;
}

export interface DeployedCompliance {
  readonly drift: DeployedDrift;
  /** The Config rule's name: one per stack, so the tests' stacks do not see each other's results. */
  readonly ruleName: string;
  /** What Config shows for the resource under this rule. */
  evaluationOf(resourceId: string): ReturnType<ConfigFake['evaluationOf']>;
  /** Invokes the asset's evaluateCompliance as Config would, with the function's environment and its role's IAM (for SSM and Service Catalog) from the template. */
  evaluate(invokingEvent: Record<string, unknown>, options?: { eventLeftScope?: boolean; resultToken?: string }): Promise<any>;
}

/** `iam`: the template whose IAM the function runs under, made from the synthesized one (a test removes a grant, say). */
export function deployCompliance(e2e: EndToEnd, config: ConfigFake, stack: Stack,
  { iam = (synthesized) => synthesized }: { iam?: (synthesized: TemplateJson) => TemplateJson } = {}): DeployedCompliance {
  const drift = deployDrift(e2e, stack);
  const template = Template.fromStack(stack);
  const inForce = iam(template.toJSON() as TemplateJson);
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))
    .find((f: any) => f.Properties.Handler === 'index.evaluateCompliance') as any;
  // Literals, and a Ref to the drift function, which resolves to its name: here, its logical id.
  const environment = Object.fromEntries(Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>)
    .map(([key, value]) => [key, typeof value === 'string' ? value : (value as { Ref: string }).Ref]));
  const ruleName = `${stack.stackName}-products`;
  return {
    drift, ruleName,
    evaluationOf: (resourceId) => config.evaluationOf(ruleName, resourceId),
    evaluate: async (invokingEvent, options = {}) => {
      Object.assign(process.env, environment);
      return asFunctionRole(e2e, inForce, 'index.evaluateCompliance', drift.stackId, () => driftAsset().evaluateCompliance({
        version: '1.0', invokingEvent: JSON.stringify(invokingEvent), ruleParameters: '{}',
        resultToken: options.resultToken ?? config.issueResultToken(ruleName), eventLeftScope: options.eventLeftScope ?? false,
        executionRoleArn: 'arn:aws:iam::123456789012:role/config-role', configRuleArn: 'arn:aws:config:us-east-1:123456789012:config-rule/config-rule-abc',
        configRuleName: ruleName, configRuleId: 'config-rule-abc', accountId: '123456789012',
      }));
    },
  };
}

/** A periodic evaluation's invoking event. */
export function scheduledNotification(at = new Date()): Record<string, unknown> {
  return { awsAccountId: '123456789012', notificationCreationTime: at.toISOString(), messageType: 'ScheduledNotification', recordVersion: '1.0' };
}

/** A change-triggered evaluation's invoking event for a provisioned product. */
export function changeNotification(item: { resourceId: string; resourceName?: string; status?: string; at?: Date }): Record<string, unknown> {
  return {
    configurationItemDiff: null, notificationCreationTime: new Date().toISOString(), messageType: 'ConfigurationItemChangeNotification', recordVersion: '1.3',
    configurationItem: {
      configurationItemCaptureTime: (item.at ?? new Date()).toISOString(), configurationItemStatus: item.status ?? 'OK',
      resourceType: PRODUCT_TYPE, resourceId: item.resourceId, resourceName: item.resourceName, awsAccountId: '123456789012', awsRegion: 'us-east-1',
      configuration: {}, supplementaryConfiguration: {}, tags: {}, relationships: [],
    },
  };
}
