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
 * The token of an attempt made after `refusals` refusals of this request's change. An attempt
 * that went unanswered (throttled past the SDK's retries, a 5xx, out of time) may have started a
 * change, so the next attempt replays its token, which is what the documented IdempotencyToken
 * is for: the service answers it with that change's record. Only a refusal (InvalidState or
 * InvalidParameters) proves that nothing was created; whether the service then remembers the
 * token with its refusal is undocumented, so the next attempt after a refusal takes the next token.
 * Each invocation replays the chain from the first token: a token that made a change gets its
 * record back, a remembered refusal is refused again and moves on, so no second change is made.
 */
export function attemptToken(firstToken: string, refusals: number): string {
  return refusals === 0 ? firstToken : createHash('sha256').update(`${firstToken}/after-refusal/${refusals}`).digest('hex');
}
