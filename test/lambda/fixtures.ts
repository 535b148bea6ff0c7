/** Shared fixtures for the handler unit tests: a fake clock, requests and service errors. */
import { ServiceCatalogClient, ServiceCatalogServiceException } from '@aws-sdk/client-service-catalog';
import { HandlerDeps } from '../../lambda/runtime';
import { CustomResourceEvent } from '../../lambda/types';

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
    now: () => now,
    sleep: async (ms) => { sleeps.push(ms); now += ms; },
    log: () => undefined,
    sleeps,
    advance: (ms) => { now += ms; },
  };
}

/** A Create request for pp-1 declaring OWNER and LAUNCH; `props` overrides (undefined removes) properties. */
export function cfnEvent(overrides: Partial<CustomResourceEvent> = {}, props: Record<string, unknown> = {}): CustomResourceEvent {
  const properties: Record<string, unknown> = {
    ServiceToken: 'arn:x', ProvisionedProductId: 'pp-1', Owner: OWNER, LaunchRoleArn: LAUNCH, TimeoutSeconds: '60', ...props,
  };
  for (const key of Object.keys(properties)) if (properties[key] === undefined) delete properties[key];
  return {
    RequestType: 'Create',
    StackId: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/S/guid`,
    RequestId: 'req-1',
    LogicalResourceId: 'Ownership',
    ResourceProperties: properties,
    ...overrides,
  };
}

export function serviceError(name: string, fault: 'client' | 'server' = 'client', statusCode = 400) {
  return new ServiceCatalogServiceException({ name, $fault: fault, $metadata: { httpStatusCode: statusCode }, message: `${name} happened` });
}
