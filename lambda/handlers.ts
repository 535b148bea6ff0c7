/**
 * onEvent and isComplete: the I/O shell around the pure decisions. onEvent starts the change and
 * hands its record id and start time to isComplete through `Data`: the two run as separate Lambda
 * functions with no shared memory, and isComplete receives the same event on every poll.
 */
import {
  DescribeRecordCommand, ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { PropertyValidationError } from '../lib/shared/validation';
import { DataKey, DesiredProperties, UNCHANGED_STATUS, parseWireProperties } from '../lib/shared/wire-contract';
import {
  PollObservation, accountOfStack, idempotencyToken, judgePoll, nextPoll, planPropertiesUpdate,
} from './decisions';
import { invalidPropertiesMessage, pollFailedMessage, updateRejectedMessage } from './messages';
import { describeError, isRetryableLater, serviceCatalogClient } from './service-catalog';
import { CustomResourceEvent, IsCompleteResult, OnEventResult } from './types';

/** A failure to report to CloudFormation as it is: the message is written for the operator. */
export class DeployFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployFailure';
  }
}

/** What the handlers use from the outside world; tests replace the clock and the sleep. */
export interface HandlerDeps {
  readonly client: ServiceCatalogClient;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (message: string, details?: Record<string, unknown>) => void;
}

export function runtimeDeps(): HandlerDeps {
  return {
    client: serviceCatalogClient(),
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
  };
}

export async function onEvent(event: CustomResourceEvent, deps: HandlerDeps): Promise<OnEventResult> {
  if (event.RequestType === 'Delete') {
    // Never fails and never calls the service: removing the declaration leaves the product as it is.
    deps.log('delete: nothing to do', { physicalResourceId: event.PhysicalResourceId });
    return event.PhysicalResourceId ? { PhysicalResourceId: event.PhysicalResourceId } : {};
  }
  const waitStartedAt = deps.now();
  const desired = validate(event);
  const previous = event.RequestType === 'Update' ? {
    provisionedProductId: event.OldResourceProperties?.ProvisionedProductId,
    owner: event.OldResourceProperties?.Owner,
    launchRoleArn: event.OldResourceProperties?.LaunchRoleArn,
  } : undefined;
  const plan = planPropertiesUpdate(desired, previous);
  if (plan.kind === 'skip') {
    deps.log('update: owner, launch role and id are unchanged; no call made', { provisionedProductId: desired.provisionedProductId });
    return {
      PhysicalResourceId: desired.provisionedProductId,
      Data: { [DataKey.RECORD_ID]: '', [DataKey.RECORD_STATUS]: UNCHANGED_STATUS, [DataKey.WAIT_STARTED_AT]: String(waitStartedAt) },
    };
  }
  const input = {
    ProvisionedProductId: desired.provisionedProductId,
    ProvisionedProductProperties: plan.properties,
    IdempotencyToken: idempotencyToken(event),
    AcceptLanguage: desired.acceptLanguage,
  };
  deps.log('calling UpdateProvisionedProductProperties', { input });
  let output;
  try {
    output = await deps.client.send(new UpdateProvisionedProductPropertiesCommand(input));
  } catch (error) {
    const { name, message } = describeError(error);
    throw new DeployFailure(updateRejectedMessage(desired.provisionedProductId, name, message));
  }
  if (!output.RecordId) {
    throw new DeployFailure(`UpdateProvisionedProductProperties for provisioned product ${desired.provisionedProductId} `
      + 'returned no RecordId, so the change cannot be followed. Check the product in the Service Catalog console.');
  }
  deps.log('record started', { recordId: output.RecordId, status: output.Status });
  return {
    PhysicalResourceId: desired.provisionedProductId,
    Data: {
      [DataKey.RECORD_ID]: output.RecordId,
      [DataKey.RECORD_STATUS]: output.Status ?? 'CREATED',
      [DataKey.WAIT_STARTED_AT]: String(waitStartedAt),
    },
  };
}

export async function isComplete(event: CustomResourceEvent, deps: HandlerDeps): Promise<IsCompleteResult> {
  const recordId = event.Data?.[DataKey.RECORD_ID];
  if (event.RequestType === 'Delete' || !recordId) {
    return { IsComplete: true };
  }
  const desired = validate(event);
  const waitStartedAt = Number(event.Data?.[DataKey.WAIT_STARTED_AT]) || deps.now();
  const deadline = waitStartedAt + desired.timeoutSeconds * 1000;
  let lastStatus = String(event.Data?.[DataKey.RECORD_STATUS] ?? 'CREATED');
  for (let polls = 1; ; polls++) {
    const observation = await describeRecord(deps, recordId, desired);
    const decision = judgePoll({
      provisionedProductId: desired.provisionedProductId, recordId, timeoutSeconds: desired.timeoutSeconds,
      deadline, now: deps.now(), lastStatus,
    }, observation);
    if (decision.kind === 'complete') {
      deps.log('record succeeded', { recordId, polls });
      return { IsComplete: true, Data: { [DataKey.RECORD_STATUS]: decision.status } };
    }
    if (decision.kind === 'fail') {
      throw new DeployFailure(decision.message);
    }
    lastStatus = decision.lastStatus;
    const next = nextPoll({ pollsSoFar: polls, now: deps.now(), waitStartedAt, deadline });
    if (next.kind === 'hand-back') {
      deps.log('record still pending; handing back to the waiter', { recordId, lastStatus, polls });
      return { IsComplete: false };
    }
    await deps.sleep(next.ms);
  }
}

async function describeRecord(deps: HandlerDeps, recordId: string, desired: DesiredProperties): Promise<PollObservation> {
  try {
    const output = await deps.client.send(new DescribeRecordCommand({ Id: recordId, AcceptLanguage: desired.acceptLanguage }));
    return { kind: 'record', status: output.RecordDetail?.Status, errors: output.RecordDetail?.RecordErrors ?? [] };
  } catch (error) {
    const { name, message } = describeError(error);
    if (isRetryableLater(error)) {
      deps.log('DescribeRecord failed transiently; will poll again', { recordId, error: `${name}: ${message}` });
      return { kind: 'transient-error', error: `${name}: ${message}` };
    }
    throw new DeployFailure(pollFailedMessage(desired.provisionedProductId, recordId, name, message));
  }
}

/** The same rules as the construct, applied before any API call: a hand-edited template stops here. */
function validate(event: CustomResourceEvent): DesiredProperties {
  try {
    return parseWireProperties(event.ResourceProperties, accountOfStack(event.StackId));
  } catch (error) {
    if (error instanceof PropertyValidationError) {
      throw new DeployFailure(invalidPropertiesMessage(error.message));
    }
    throw error;
  }
}
