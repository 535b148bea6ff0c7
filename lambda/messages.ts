/**
 * What the handler tells the operator when a deploy fails. Every message puts the cause first,
 * names the provisioned product (and the record, where there is one), says what to do next, and is
 * bounded: the provider framework sends it to CloudFormation untruncated, and CloudFormation
 * rejects a response over 4 KB.
 */

/** An error entry of a Service Catalog record. */
export interface RecordErrorEntry {
  readonly Code?: string;
  readonly Description?: string;
}

/**
 * The most a failure message may take, in bytes of its JSON encoding. The rest of the response
 * (ids, the log group hint, Data) stays well under 2 KB, so the whole response stays under 4 KB.
 */
export const MAX_MESSAGE_BYTES = 2048;

export function recordFailedMessage(provisionedProductId: string, recordId: string, errors: readonly RecordErrorEntry[]): string {
  const details = errors.length > 0
    ? errors.map((e) => `${e.Code ?? '(no code)'}: ${e.Description ?? '(no description)'}`).join('; ')
    : '(the record reported no errors)';
  return `Service Catalog record ${recordId} for provisioned product ${provisionedProductId} FAILED: ${details}. `
    + 'The product keeps its previous owner and launch role. Fix the cause above, then redeploy.';
}

export function recordTimedOutMessage(provisionedProductId: string, recordId: string, lastStatus: string,
  timeoutSeconds: number, lastError?: string): string {
  const error = lastError ? ` The last DescribeRecord call failed with: ${lastError}.` : '';
  return `Timed out after ${timeoutSeconds} s waiting for Service Catalog record ${recordId} of provisioned product `
    + `${provisionedProductId}; its last status was ${lastStatus}.${error} The change may still complete: check it with `
    + `"aws servicecatalog describe-record --id ${recordId}", then redeploy, or raise the construct's timeout.`;
}

export function recordNotFoundMessage(provisionedProductId: string, recordId: string, graceSeconds: number, cause: string): string {
  return `Service Catalog record ${recordId} of provisioned product ${provisionedProductId} could not be read for `
    + `${graceSeconds} s after the change started (${cause}). Check it with "aws servicecatalog describe-record --id ${recordId}" `
    + 'and the handler role\'s servicecatalog:DescribeRecord permission, then redeploy.';
}

export function ownerNotListedMessage(provisionedProductId: string, searches: number): string {
  return `SearchProvisionedProducts did not list provisioned product ${provisionedProductId} after ${searches} searches, so its `
    + 'current owner is unknown and cannot be kept for restoreOnDelete. Search is index-backed and can lag behind a product '
    + 'created or changed moments ago: redeploy in a few minutes, or turn restoreOnDelete off.';
}

export function stackNotReadableMessage(provisionedProductId: string, cause: string): string {
  return `Could not read this stack's resources (${cause}) to find the originals another declaration of provisioned product `
    + `${provisionedProductId} already keeps for restoreOnDelete; capturing the values in place now could keep the declared values `
    + 'as "originals". Check the handler role\'s cloudformation:ListStackResources permission on its stack, then redeploy.';
}

export function principalNotAcceptedMessage(provisionedProductId: string, retriedSeconds: number, cause: string): string {
  return `Service Catalog kept rejecting the owner or launch role for provisioned product ${provisionedProductId} for `
    + `${retriedSeconds} s (${cause}). A principal created moments ago can take that long to propagate in IAM; otherwise check `
    + 'that the owner and launch role exist in the product\'s account, then redeploy.';
}

export function pollFailedMessage(provisionedProductId: string, recordId: string, errorName: string, errorMessage: string): string {
  return `DescribeRecord for record ${recordId} of provisioned product ${provisionedProductId} failed with `
    + `${errorName}: ${errorMessage}. This error does not go away by retrying; check the handler role's `
    + 'servicecatalog:DescribeRecord permission and the region, then redeploy.';
}

export function updateRejectedMessage(provisionedProductId: string, errorName: string, errorMessage: string): string {
  const cause = `${errorName}: ${errorMessage}`;
  switch (errorName) {
    case 'ResourceNotFoundException':
      return `Provisioned product ${provisionedProductId} was not found (${cause}). Check provisionedProductId and `
        + 'that the stack deploys to the account and region of the product; it may have been terminated.';
    case 'InvalidStateException':
      return `Provisioned product ${provisionedProductId} is busy with another operation (${cause}). Wait until its `
        + 'status is AVAILABLE ("aws servicecatalog describe-provisioned-product"), then redeploy.';
    case 'InvalidParametersException':
      return `Service Catalog rejected the owner or launch role for provisioned product ${provisionedProductId} `
        + `(${cause}). Check that the owner and launch role exist in the product's account, then redeploy.`;
    default:
      return `UpdateProvisionedProductProperties for provisioned product ${provisionedProductId} failed (${cause}). `
        + 'Check the handler role\'s permissions and the service\'s health, then redeploy.';
  }
}

export function productBusyTimedOutMessage(provisionedProductId: string, status: string, timeoutSeconds: number, cause: string): string {
  return `Provisioned product ${provisionedProductId} was still busy with another operation after ${timeoutSeconds} s `
    + `(status ${status}; ${cause}), so its owner and launch role were not changed. Wait until its status is AVAILABLE `
    + `("aws servicecatalog describe-provisioned-product --id ${provisionedProductId}"), then redeploy, or raise the construct's timeout.`;
}

export function productNotUpdatableMessage(provisionedProductId: string, status: string, cause: string): string {
  return `Provisioned product ${provisionedProductId} is ${status} and Service Catalog refused to change its properties `
    + `(${cause}). This status does not change by itself: fix the product (update it to a working version, or terminate `
    + 'it), then redeploy.';
}

export function invalidPropertiesMessage(validationMessage: string): string {
  return `${validationMessage} No call was made to Service Catalog. Fix the construct's props (or the template's `
    + 'properties), then redeploy.';
}

/**
 * Makes a message safe to send: one line (the framework splits stacks on newlines), and at most
 * `maxBytes` of JSON-encoded UTF-8, cut with a marker that says how much was left out.
 */
export function boundMessage(message: string, maxBytes: number = MAX_MESSAGE_BYTES): string {
  const oneLine = message.replace(/\s*[\r\n]+\s*/g, ' ');
  if (jsonBytes(oneLine) <= maxBytes) {
    return oneLine;
  }
  const chars = Array.from(oneLine); // code points, so a cut never splits a surrogate pair
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (jsonBytes(chars.slice(0, mid).join('') + truncationMarker(chars.length - mid)) <= maxBytes) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return chars.slice(0, low).join('') + truncationMarker(chars.length - low);
}

function truncationMarker(omittedChars: number): string {
  return ` …[truncated ${omittedChars} characters; the handler's log has the full text]`;
}

function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8');
}
