/**
 * Every way a request can fail, as typed values. Code decides on the `kind`; the operator's
 * message is rendered from the value at the edge (`renderFailure`), never parsed.
 */
import {
  RecordErrorEntry, invalidPropertiesMessage, ownerNotListedMessage, pollFailedMessage, principalNotAcceptedMessage,
  productBusyTimedOutMessage, productNotUpdatableMessage, recordFailedMessage, recordNotFoundMessage, recordTimedOutMessage,
  stackNotReadableMessage, updateRejectedMessage,
} from './messages';
import { LEDGER_PARAMETER_PATH } from '../lib/shared/ledger';

/** How the wait for a record can end without success. */
export type RecordFailure =
  | { readonly kind: 'record-failed'; readonly productId: string; readonly recordId: string; readonly errors: readonly RecordErrorEntry[] }
  | { readonly kind: 'record-timed-out'; readonly productId: string; readonly recordId: string; readonly lastStatus: string;
    readonly timeoutSeconds: number; readonly lastError?: string; }
  | { readonly kind: 'record-not-found'; readonly productId: string; readonly recordId: string; readonly graceSeconds: number; readonly cause: string }
  /** DescribeRecord refused in a way that retrying cannot change (access denied, say). */
  | { readonly kind: 'poll-refused'; readonly productId: string; readonly recordId: string; readonly cause: { name: string; message: string } };

/** How starting a change can end without a record. */
export type StartFailure =
  | { readonly kind: 'update-rejected'; readonly productId: string; readonly cause: { name: string; message: string } }
  | { readonly kind: 'no-record-id'; readonly productId: string }
  | { readonly kind: 'principal-not-accepted'; readonly productId: string; readonly retriedSeconds: number; readonly cause: string }
  | { readonly kind: 'product-not-updatable'; readonly productId: string; readonly status: string; readonly cause: string }
  | { readonly kind: 'product-busy-timed-out'; readonly productId: string; readonly status: string; readonly timeoutSeconds: number;
    readonly cause: string; }
  | ProductUnavailable;

/** Why a product's status cannot be read; either ends a request at once, whenever it is met. */
export type ProductUnavailable =
  /** The product was terminated (DescribeProvisionedProduct: ResourceNotFoundException). */
  | { readonly kind: 'product-gone'; readonly productId: string; readonly cause: string }
  /** A refusal that waiting does not change (AccessDenied, say). */
  | { readonly kind: 'product-unreadable'; readonly productId: string; readonly cause: string };

/** How reading and planning a Create or Update can fail before any write. */
export type PlanFailure =
  | { readonly kind: 'invalid-properties'; readonly validation: string }
  | { readonly kind: 'product-name-not-found'; readonly name: string; readonly cause: string }
  | { readonly kind: 'product-name-unreadable'; readonly name: string; readonly cause: string }
  /** No answer to the read by name (throttled past the retries, a 5xx, out of time): may pass by itself. */
  | { readonly kind: 'product-name-unanswered'; readonly name: string; readonly cause: string }
  /** restoreOnDelete needs the live values, and they could not be read. */
  | { readonly kind: 'live-unreadable'; readonly productId: string; readonly cause: string }
  /** restoreOnDelete needs the stack's other declarations, and the stack could not be read. */
  | { readonly kind: 'stack-unreadable'; readonly productId: string; readonly cause: string }
  /** restoreOnDelete needs the ledger (another stack may hold the originals), and it could not be read. */
  | { readonly kind: 'ledger-unreadable'; readonly productId: string; readonly cause: string }
  /** The declaration could not be recorded in the ledger: another stack could then undo it. */
  | { readonly kind: 'ledger-unwritable'; readonly productId: string; readonly cause: string }
  | { readonly kind: 'owner-not-listed'; readonly productId: string; readonly searches: number }
  | { readonly kind: 'originals-too-long'; readonly productId: string; readonly length: number; readonly max: number }
  | ProductUnavailable
  /** A request of another stack than the function's own. */
  | { readonly kind: 'foreign-stack'; readonly stackId: string; readonly ownStackId: string; readonly logicalResourceId: string }
  /** restoreOnDelete must capture values while a change still runs on the product, past the time onEvent has. */
  | { readonly kind: 'busy-before-capture'; readonly productId: string; readonly cause: string };

export type Failure = RecordFailure | StartFailure | PlanFailure;

/** A failure thrown to the framework, which reports its message to CloudFormation. */
export class DeployFailure extends Error {
  constructor(public readonly failure: Failure) {
    super(renderFailure(failure));
    this.name = 'DeployFailure';
  }
}

/** The operator's message for a failure: the cause first, the product and record named, what to do next. */
export function renderFailure(failure: Failure): string {
  switch (failure.kind) {
    case 'record-failed': return recordFailedMessage(failure.productId, failure.recordId, failure.errors);
    case 'record-timed-out':
      return recordTimedOutMessage(failure.productId, failure.recordId, failure.lastStatus, failure.timeoutSeconds, failure.lastError);
    case 'record-not-found': return recordNotFoundMessage(failure.productId, failure.recordId, failure.graceSeconds, failure.cause);
    case 'poll-refused': return pollFailedMessage(failure.productId, failure.recordId, failure.cause.name, failure.cause.message);
    case 'update-rejected': return updateRejectedMessage(failure.productId, failure.cause.name, failure.cause.message);
    case 'no-record-id':
      return `UpdateProvisionedProductProperties for provisioned product ${failure.productId} returned no RecordId, so the change `
        + 'cannot be followed. Check the product in the Service Catalog console.';
    case 'principal-not-accepted': return principalNotAcceptedMessage(failure.productId, failure.retriedSeconds, failure.cause);
    case 'product-not-updatable': return productNotUpdatableMessage(failure.productId, failure.status, failure.cause);
    case 'product-busy-timed-out': return productBusyTimedOutMessage(failure.productId, failure.status, failure.timeoutSeconds, failure.cause);
    case 'product-gone':
      return `Provisioned product ${failure.productId} was not found (${failure.cause}). Check provisionedProductId and that the `
        + 'stack deploys to the account and region of the product; it may have been terminated (then remove the declaration).';
    case 'product-unreadable':
      return `Could not read the status of provisioned product ${failure.productId} (${failure.cause}). Check the handler role's `
        + 'servicecatalog:DescribeProvisionedProduct and servicecatalog:DescribeRecord permissions, then redeploy.';
    case 'foreign-stack':
      return `Resource ${failure.logicalResourceId} of stack ${failure.stackId} uses the provisioned product properties provider of `
        + `stack ${failure.ownStackId}, which acts only for its own stack. Declare the ProvisionedProductProperties in a stack `
        + 'of its own; each stack gets its provider.';
    case 'busy-before-capture':
      return `A change still runs on provisioned product ${failure.productId} (${failure.cause}), so its original owner and launch `
        + 'role cannot be captured for restoreOnDelete yet. Wait for it to end (see the product\'s records in the Service Catalog '
        + 'console), then deploy again.';
    case 'invalid-properties': return invalidPropertiesMessage(failure.validation);
    case 'product-name-not-found':
      return `No provisioned product is named ${failure.name} (${failure.cause}). Check provisionedProductName, and that the `
        + 'stack deploys to the account and region of the product; it may have been terminated or renamed.';
    case 'product-name-unreadable':
      return `Could not find the provisioned product named ${failure.name} (${failure.cause}). Check the handler role's `
        + 'servicecatalog:DescribeProvisionedProduct permission, then redeploy.';
    case 'product-name-unanswered':
      return `Service Catalog did not answer the look-up of the provisioned product named ${failure.name} (${failure.cause}). `
        + 'This is throttling or a service fault, which passes by itself: retry the deploy.';
    case 'live-unreadable':
      return `Could not read the current owner and launch role of provisioned product ${failure.productId} to keep for `
        + `restoreOnDelete (${failure.cause}). Check the handler role's servicecatalog:SearchProvisionedProducts and `
        + 'servicecatalog:DescribeProvisionedProduct permissions, then redeploy.';
    case 'stack-unreadable': return stackNotReadableMessage(failure.productId, failure.cause);
    case 'ledger-unreadable':
      return `Could not read the ledger of provisioned product ${failure.productId} (${failure.cause}), where another stack's `
        + 'declaration may keep the originals for restoreOnDelete; capturing the values in place now could keep declared values as '
        + `"originals". Check the handler role's ssm:GetParameter permission on ${LEDGER_PARAMETER_PATH}/*, then redeploy.`;
    case 'ledger-unwritable':
      return `Could not record this declaration of provisioned product ${failure.productId} in its ledger (${failure.cause}); `
        + 'without it, removing another declaration of the product could undo this one. Check the handler role\'s '
        + `ssm:GetParameter and ssm:PutParameter permissions on ${LEDGER_PARAMETER_PATH}/*, then redeploy.`;
    case 'owner-not-listed': return ownerNotListedMessage(failure.productId, failure.searches);
    case 'originals-too-long':
      return `The original owner and launch role of provisioned product ${failure.productId} are too long to keep in the `
        + `resource's physical id (${failure.length} of at most ${failure.max} characters). Turn restoreOnDelete off.`;
  }
}
