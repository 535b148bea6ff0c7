/**
 * The Lambda entry points (`index.onEvent`, `index.isComplete`, `index.correctDrift`,
 * `index.evaluateCompliance`), bundled by esbuild into the
 * package's asset. They log only what the project owns of a request (request-log.ts) and shape
 * every error for the provider framework, which sends the message and stack to CloudFormation as the Reason.
 */
import type { Context } from 'aws-lambda';
import { DriftCorrectionEvent } from '../lib/shared/drift-payload';
import { ScheduledEvent, correctDrift as correctDriftHandler } from './drift/run';
import { ConfigRuleEvent, configServiceClient, evaluateCompliance as evaluateComplianceHandler } from './compliance/evaluate';
import * as handlers from './deploy/handlers';
import { boundMessage } from './messages';
import { loggableRequest } from './request-log';

export const onEvent = entryPoint('onEvent', handlers.onEvent);
export const isComplete = entryPoint('isComplete', handlers.isComplete);

/** The drift-correction schedule's target: every product of the stack's declarations. */
export async function correctDrift(event: DriftCorrectionEvent & ScheduledEvent, context?: Context) {
  const deps = { ...handlers.runtimeDeps(context), emit: (line: string) => console.log(line) };
  const summary = await correctDriftHandler(event, deps);
  deps.log('drift correction done', { eventId: event.id, time: event.time, ...summary });
  return summary;
}

/** The AWS Config rule's function: every declared product evaluated and reported with PutEvaluations. */
export async function evaluateCompliance(event: ConfigRuleEvent, context?: Context) {
  const deps = { ...handlers.runtimeDeps(context), config: configServiceClient(), emit: (line: string) => console.log(line) };
  const summary = await evaluateComplianceHandler(event, deps);
  deps.log('compliance evaluation done', { configRuleName: event.configRuleName, ...summary });
  return summary;
}

function entryPoint<E extends object, R>(name: string, handler: (event: E, deps: handlers.HandlerDeps) => Promise<R>) {
  return async (event: E, context?: Context): Promise<R> => {
    const deps = handlers.runtimeDeps(context);
    deps.log(`${name} request`, { event: loggableRequest(event as Record<string, unknown>) });
    try {
      const result = await handler(event, deps);
      deps.log(`${name} result`, { result });
      return result;
    } catch (error) {
      console.error(`${name} failed`, error);
      throw toFrameworkError(error);
    }
  };
}

/**
 * The framework's Reason is the error's message plus its stack, untruncated, and CloudFormation
 * rejects responses over 4 KB. So the error leaves as one bounded line with no stack frames; the
 * full error, stack included, is in the log written just before.
 */
export function toFrameworkError(error: unknown): Error {
  const message = error instanceof handlers.DeployFailure
    ? error.message
    : `Unexpected handler error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}. `
      + 'The handler log has the stack trace; please report it with the log.';
  const bounded = new Error(boundMessage(message));
  bounded.stack = `Error: ${bounded.message}`;
  return bounded;
}
