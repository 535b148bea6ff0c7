/**
 * What the handlers log of a request: only what this project owns. A request also carries the
 * presigned ResponseURL (a secret) and whatever else CloudFormation or a hand-edited template put
 * in the properties, so the log is built from a list of our keys, never by removing known secrets.
 * ProductRevision is ours but names the linked product's record and artifact: only its presence is logged.
 */
import { WIRE_KEYS, WireProperties } from '../lib/shared/wire-contract';

const LOGGED_PROPERTY_KEYS = WIRE_KEYS.filter((key) => key !== 'ProductRevision');
const LOGGED_REQUEST_KEYS = ['RequestType', 'RequestId', 'StackId', 'LogicalResourceId', 'PhysicalResourceId', 'ResourceType'] as const;

interface LoggableEvent {
  readonly ResourceProperties?: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
  /** isComplete's Data: what onEvent returned, all ours. */
  readonly Data?: Record<string, unknown>;
}

export function loggableRequest(event: LoggableEvent & Record<string, unknown>): Record<string, unknown> {
  const logged: Record<string, unknown> = {};
  for (const key of LOGGED_REQUEST_KEYS) if (event[key] !== undefined) logged[key] = event[key];
  if (event.ResourceProperties) logged.ResourceProperties = ownProperties(event.ResourceProperties);
  if (event.OldResourceProperties) logged.OldResourceProperties = ownProperties(event.OldResourceProperties);
  if (event.Data) logged.Data = event.Data;
  return logged;
}

function ownProperties(properties: Record<string, unknown>): Partial<Record<keyof WireProperties, unknown>> {
  const own: Record<string, unknown> = {};
  for (const key of LOGGED_PROPERTY_KEYS) if (properties[key] !== undefined) own[key] = properties[key];
  if (properties.ProductRevision !== undefined) own.ProductRevision = '(set)';
  return own;
}
