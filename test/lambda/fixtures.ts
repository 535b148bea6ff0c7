/** Shared fixtures for the handler unit tests: a fake clock, requests and service errors. */
import { memorySsm } from './ssm-memory';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ServiceCatalogClient, ServiceCatalogServiceException } from '@aws-sdk/client-service-catalog';
import { Duration } from 'aws-cdk-lib';
import { StackGuard } from '../../lambda/drift/stack-guard';
import { HandlerDeps } from '../../lambda/runtime';
import { OnEventRequest } from '../../lambda/types';
import { createRequest } from '../e2e/cloudformation-request';
import { synthesizedResource } from '../e2e/e2e-setup';

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
    ssm: memorySsm(),
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
 * The Create CloudFormation sends for pp-1 declaring OWNER and LAUNCH with a 60 s timeout, built
 * from the synthesized template (ServiceToken and ServiceTimeout included), once per test file.
 */
let synthesized: OnEventRequest | undefined;
function synthesizedCreate(): OnEventRequest {
  synthesized ??= createRequest(synthesizedResource({ id: 'pp-1', owner: OWNER, launchRole: LAUNCH, timeout: Duration.seconds(60) }),
    { requestId: 'req-1', stackId: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/S/guid` }) as OnEventRequest;
  return structuredClone(synthesized);
}

/**
 * That request, for unit tests of the handler's decisions: `overrides` replace top-level fields,
 * and `props` override (undefined removes) properties, as a hand-edited template would.
 */
export function cfnEvent(overrides: Record<string, unknown> = {}, props: Record<string, unknown> = {}): OnEventRequest {
  const request = synthesizedCreate();
  const properties: Record<string, unknown> = { ...request.ResourceProperties, ...props };
  for (const key of Object.keys(properties)) if (properties[key] === undefined) delete properties[key];
  return { ...request, LogicalResourceId: 'Ownership', ResourceProperties: properties, ...overrides } as OnEventRequest;
}

/** The deps of an invocation whose function times out `ms` after it started. */
export function endingAfter<D extends ReturnType<typeof fakeDeps>>(deps: D, ms: number): D {
  const endsAt = deps.now() + ms;
  return { ...deps, remainingMs: () => endsAt - deps.now() };
}

export function serviceError(name: string, fault: 'client' | 'server' = 'client', statusCode = 400) {
  return new ServiceCatalogServiceException({ name, $fault: fault, $metadata: { httpStatusCode: statusCode }, message: `${name} happened` });
}

/**
 * The deps of a drift run: the fake clock, a function timing out `functionTimeoutMs` after START
 * (the drift function's 15 minutes by default), and the run's log lines.
 */
export function driftDeps(functionTimeoutMs = 15 * 60_000) {
  const deps = fakeDeps();
  const lines: string[] = [];
  return { ...deps, lines, remainingMs: () => functionTimeoutMs - (deps.now() - START), emit: (line: string) => lines.push(line), guard: IN_FORCE };
}

/**
 * A stack guard that finds every payload in force and the stack at rest, for unit tests of what a
 * run does with its products (the guard itself: test/lambda/drift/stack-guard.test.ts and the e2e tests).
 */
export const IN_FORCE: StackGuard = { check: async () => ({ kind: 'in-force' }) };
