/**
 * Starts a change with UpdateProvisionedProductProperties. A product busy with another operation
 * answers InvalidStateException; then the change is retried with backoff until the product is
 * free, within the resource's timeout. Every attempt for one CloudFormation request carries the
 * same idempotency token, so a retry after acceptance gets the same record back, never a second
 * change: that is also how a later isComplete invocation finds the record again.
 */
import { DescribeProvisionedProductCommand, UpdateProvisionedProductPropertiesCommand } from '@aws-sdk/client-service-catalog';
import { PropertyMap, judgeBusyProduct, nextPoll } from './decisions';
import { updateRejectedMessage } from './messages';
import { DeployFailure, HandlerDeps } from './runtime';
import { describeError } from './service-catalog';

export type StartOutcome =
  | { readonly kind: 'started'; readonly recordId: string; readonly status: string }
  | { readonly kind: 'busy'; readonly cause: string; readonly message: string };

export interface ChangeToStart {
  /** The same for every attempt of one change: a retry after acceptance gets the same record. */
  readonly idempotencyToken: string;
  readonly provisionedProductId: string;
  readonly properties: PropertyMap;
  readonly acceptLanguage?: string;
}

/** One attempt. Throws a DeployFailure for every refusal but "busy". */
export async function startChange(deps: HandlerDeps, change: ChangeToStart): Promise<StartOutcome> {
  const input = {
    ProvisionedProductId: change.provisionedProductId,
    ProvisionedProductProperties: change.properties,
    IdempotencyToken: change.idempotencyToken,
    AcceptLanguage: change.acceptLanguage,
  };
  deps.log('calling UpdateProvisionedProductProperties', { input });
  let output;
  try {
    output = await deps.client.send(new UpdateProvisionedProductPropertiesCommand(input));
  } catch (error) {
    const { name, message } = describeError(error);
    if (name === 'InvalidStateException') {
      deps.log('the product is busy; the change will be retried', { productId: change.provisionedProductId, error: message });
      return { kind: 'busy', cause: `${name}: ${message}`, message: updateRejectedMessage(change.provisionedProductId, name, message) };
    }
    throw new DeployFailure(updateRejectedMessage(change.provisionedProductId, name, message));
  }
  if (!output.RecordId) {
    throw new DeployFailure(`UpdateProvisionedProductProperties for provisioned product ${change.provisionedProductId} `
      + 'returned no RecordId, so the change cannot be followed. Check the product in the Service Catalog console.');
  }
  deps.log('record started', { recordId: output.RecordId, status: output.Status });
  return { kind: 'started', recordId: output.RecordId, status: output.Status ?? 'CREATED' };
}

export type WhenAvailableOutcome =
  | { readonly kind: 'started'; readonly recordId: string; readonly status: string }
  | { readonly kind: 'hand-back' }
  | { readonly kind: 'fail'; readonly message: string };

/** Retries a busy product's change with the fast-poll backoff, then hands back to the waiter. */
export async function startWhenAvailable(deps: HandlerDeps, change: ChangeToStart,
  wait: { waitStartedAt: number; timeoutSeconds: number }): Promise<WhenAvailableOutcome> {
  const deadline = wait.waitStartedAt + wait.timeoutSeconds * 1000;
  for (let attempts = 1; ; attempts++) {
    const outcome = await startChange(deps, change);
    if (outcome.kind === 'started') {
      return outcome;
    }
    const status = await productStatus(deps, change);
    const decision = judgeBusyProduct({
      provisionedProductId: change.provisionedProductId, status, cause: outcome.cause,
      now: deps.now(), deadline, timeoutSeconds: wait.timeoutSeconds,
    });
    if (decision.kind === 'fail') {
      return decision;
    }
    const next = nextPoll({ pollsSoFar: attempts, now: deps.now(), waitStartedAt: wait.waitStartedAt, deadline });
    if (next.kind === 'hand-back') {
      deps.log('the product is still busy; handing back to the waiter', { productId: change.provisionedProductId, status });
      return { kind: 'hand-back' };
    }
    await deps.sleep(next.ms);
  }
}

async function productStatus(deps: HandlerDeps, change: ChangeToStart): Promise<string | undefined> {
  try {
    const output = await deps.client.send(new DescribeProvisionedProductCommand({
      Id: change.provisionedProductId, AcceptLanguage: change.acceptLanguage,
    }));
    return output.ProvisionedProductDetail?.Status;
  } catch (error) {
    deps.log('could not read the product status', { productId: change.provisionedProductId, error: describeError(error).message });
    return undefined;
  }
}
