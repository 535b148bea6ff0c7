/**
 * Correct at once (opt-in, CORRECT mode only): after a change-triggered evaluation reported drift,
 * the stack's drift function is invoked asynchronously with the target input that declares the
 * product. The drift function runs as on its schedule: it acts only on an input that is, now, one
 * of its rule's targets, orders itself against deploys, and corrects what drifted in that input.
 * The event's id comes from the configuration item, so a redelivered Config event makes the same
 * idempotency token, and so no second change.
 */
import { createHash } from 'crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DriftMode } from '../../lib/shared/drift-mode';
import { DriftCorrectionEvent, driftModeOf } from '../../lib/shared/drift-payload';
import { HandlerDeps } from '../runtime';
import { callBefore, describeError } from '../service-catalog';

let lambdaClient: LambdaClient | undefined;

/** One client per Lambda container; the endpoint honours AWS_ENDPOINT_URL_LAMBDA. */
function client(): LambdaClient {
  lambdaClient ??= new LambdaClient({ retryMode: 'adaptive', maxAttempts: 8 });
  return lambdaClient;
}

export type CorrectionRequest =
  | { readonly kind: 'requested'; readonly eventId: string }
  | { readonly kind: 'not-requested'; readonly reason: string };

export async function requestCorrection(deps: HandlerDeps, functionName: string, input: DriftCorrectionEvent,
  item: { resourceId: string; capturedAt: string }, deadline: number): Promise<CorrectionRequest> {
  if (driftModeOf(input) !== DriftMode.CORRECT) {
    return { kind: 'not-requested', reason: 'the stack\'s drift check is in REPORT mode' };
  }
  const eventId = `config-${createHash('sha256').update(`${item.resourceId}\n${item.capturedAt}`).digest('hex').slice(0, 32)}`;
  const payload = { ...input, id: eventId, time: item.capturedAt };
  try {
    await callBefore(deps, deadline, (o) => client().send(new InvokeCommand({
      FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)),
    }), o));
    return { kind: 'requested', eventId };
  } catch (error) {
    const { name, message } = describeError(error);
    return { kind: 'not-requested', reason: `the drift function could not be invoked (${name}: ${message}); the schedule corrects it` };
  }
}
