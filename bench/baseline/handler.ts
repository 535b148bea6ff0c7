/**
 * The baseline for detection lag: what a user writes with the provider framework and no fast
 * polling. onEvent calls UpdateProvisionedProductProperties as ours does; isComplete polls
 * DescribeRecord once per invocation, so the framework's waiter (5 s by default) sets the pace.
 * Bundled with esbuild at bench time (see detection-lag.ts); it reads the same properties ours does.
 */
import {
  DescribeRecordCommand, ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';

interface Event {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly RequestId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, string | undefined>;
  readonly Data?: Record<string, string>;
}

const client = new ServiceCatalogClient({});

export async function onEvent(event: Event) {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const properties: Record<string, string> = {};
  if (props.Owner) properties.OWNER = props.Owner;
  if (props.LaunchRoleArn) properties.LAUNCH_ROLE = props.LaunchRoleArn;
  const output = await client.send(new UpdateProvisionedProductPropertiesCommand({
    ProvisionedProductId: props.ProvisionedProductId,
    ProvisionedProductProperties: properties,
    IdempotencyToken: event.RequestId,
  }));
  return { PhysicalResourceId: props.ProvisionedProductId, Data: { RecordId: output.RecordId ?? '' } };
}

export async function isComplete(event: Event) {
  if (event.RequestType === 'Delete') {
    return { IsComplete: true };
  }
  const output = await client.send(new DescribeRecordCommand({ Id: event.Data?.RecordId }));
  const status = output.RecordDetail?.Status;
  if (status === 'FAILED') {
    throw new Error(`record ${event.Data?.RecordId} FAILED: ${JSON.stringify(output.RecordDetail?.RecordErrors ?? [])}`);
  }
  return { IsComplete: status === 'SUCCEEDED' };
}
