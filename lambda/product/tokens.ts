/** Idempotency tokens of UpdateProvisionedProductProperties: the same request always sends the same one. */
import { createHash } from 'crypto';

/**
 * The same request always yields the same token, so a re-invoked Lambda gets the original record
 * back instead of making a second change. 64 hex characters fit the token shape.
 */
export function idempotencyToken(request: { StackId: string; LogicalResourceId: string; RequestId: string }): string {
  return createHash('sha256')
    .update([request.StackId, request.LogicalResourceId, request.RequestId].join('\n'))
    .digest('hex');
}

/**
 * The token of a later attempt, after the first was refused or went unanswered. A refusal created
 * nothing, by its answer, but whether the service then remembers the token with its refusal is
 * undocumented, so attempts within an invocation never share one. Deterministic from the 5 s slot
 * of the wait and the attempt's number in the invocation: an invocation that follows another
 * within the slot reuses its token, so a change whose answer was lost gets its record back.
 */
export function retryToken(firstToken: string, elapsedMs: number, attemptInInvocation: number): string {
  const slot = Math.floor(Math.max(0, elapsedMs) / RETRY_TOKEN_SLOT_MS);
  return createHash('sha256').update(`${firstToken}/retry/${slot}/${attemptInInvocation}`).digest('hex');
}
export const RETRY_TOKEN_SLOT_MS = 5_000;
