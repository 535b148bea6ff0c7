/** Shared fixtures for the handler unit tests: a fake clock, requests and service errors. */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ServiceCatalogClient, ServiceCatalogServiceException } from '@aws-sdk/client-service-catalog';
import { HandlerDeps } from '../../lambda/runtime';
import { OnEventRequest } from '../../lambda/types';

export const ACCOUNT = '123456789012';
export const OWNER = `arn:aws:iam::${ACCOUNT}:role/PlatformTeam`;
export const LAUNCH = `arn:aws:iam::${ACCOUNT}:role/Launch`;
export const START = 1_800_000_000_000;

/** Handler dependencies with a clock that only moves when the handler sleeps (or a test advances it). */
export function fakeDeps(): HandlerDeps & { sleeps: number[]; advance(ms: number): void } {
  let now = START;
  const sleeps: number[] = [];
  return {
    client: new ServiceCatalogClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    cloudFormation: new CloudFormationClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    now: () => now,
    sleep: async (ms) => { sleeps.push(ms); now += ms; },
    log: () => undefined,
    remainingMs: () => Infinity,
    random: () => 0,
    sleeps,
    advance: (ms) => { now += ms; },
  };
}

/**
 * A Create request for pp-1 declaring OWNER and LAUNCH, for unit tests of the handler's decisions;
 * `props` overrides (undefined removes) properties. It has the fields CloudFormation sends, the
 * ServiceToken and ServiceTimeout in ResourceProperties among them; the end-to-end tests build
 * theirs from the synthesized template.
 */
export function cfnEvent(overrides: Record<string, unknown> = {}, props: Record<string, unknown> = {}): OnEventRequest {
  const serviceToken = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:onEvent`;
  const properties: Record<string, unknown> = {
    ServiceToken: serviceToken, ServiceTimeout: '180', ProvisionedProductId: 'pp-1', Owner: OWNER, LaunchRoleArn: LAUNCH, TimeoutSeconds: '60', ...props,
  };
  for (const key of Object.keys(properties)) if (properties[key] === undefined) delete properties[key];
  return {
    RequestType: 'Create',
    ServiceToken: serviceToken,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/presigned',
    StackId: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/S/guid`,
    RequestId: 'req-1',
    LogicalResourceId: 'Ownership',
    ResourceType: 'Custom::ProvisionedProductProperties',
    ResourceProperties: properties,
    ...overrides,
  } as OnEventRequest;
}

export function serviceError(name: string, fault: 'client' | 'server' = 'client', statusCode = 400) {
  return new ServiceCatalogServiceException({ name, $fault: fault, $metadata: { httpStatusCode: statusCode }, message: `${name} happened` });
}
