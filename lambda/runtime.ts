/** What every handler uses from the outside world; tests replace the clock, the sleep and the remaining time. */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { serviceCatalogClient } from './service-catalog';
import { cloudFormationClient } from './deploy/stack-resources';
import { ssmClient } from './ledger/store';


export interface HandlerDeps {
  readonly client: ServiceCatalogClient;
  /** Reads the handler's own stack, for restoreOnDelete's hand-over between declarations. */
  readonly cloudFormation: CloudFormationClient;
  /** The ledger of each governed product (lambda/ledger/store.ts). */
  readonly ssm: SSMClient;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** One structured (JSON) log line. */
  readonly log: (message: string, details?: Record<string, unknown>) => void;
  /** A number in [0, 1) for jitter; tests fix it. */
  readonly random: () => number;
  /** Milliseconds before the Lambda function times out (`context.getRemainingTimeInMillis()`); Infinity outside Lambda. */
  readonly remainingMs: () => number;
}

/**
 * Kept free before the function's own timeout: enough to log, shape the result and return it.
 * A function that times out is an error to the framework, and an onEvent error fails the deploy.
 */
export const FUNCTION_SAFETY_MARGIN_MS = 10_000;

/** The epoch ms at which a wait of `timeoutSeconds` that started at `startedAt` (epoch ms) gives up. */
export function timeoutDeadline(startedAt: number, timeoutSeconds: number): number {
  return startedAt + timeoutSeconds * 1000;
}

/** The epoch ms by which this invocation must stop calling out and return. */
export function invocationDeadline(deps: HandlerDeps): number {
  return deps.now() + Math.max(0, deps.remainingMs() - FUNCTION_SAFETY_MARGIN_MS);
}

export function runtimeDeps(context?: Pick<Context, 'getRemainingTimeInMillis'>): HandlerDeps {
  return {
    client: serviceCatalogClient(),
    cloudFormation: cloudFormationClient(),
    ssm: ssmClient(),
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
    remainingMs: context ? () => context.getRemainingTimeInMillis() : () => Infinity,
  };
}
