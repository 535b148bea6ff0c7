/**
 * onEvent for a Delete: the shell around delete-plan.ts. It reads what still runs on the product,
 * waited on within this invocation, then the product's ledger and its own stack (who else declares
 * the product), releases its claim, then reads the live values of what it would write,
 * plans once and acts. A restore it cannot start or judge now (the product busy, the call
 * refused or unanswered) is left to isComplete, which waits and retries within the resource's
 * timeout. Whatever goes wrong is logged, naming what was not restored, and the deletion goes on.
 */
import type { CloudFormationCustomResourceDeleteEvent } from 'aws-lambda';
import { DataKey, encodeHandlerState } from '../../lib/shared/wire-contract';
import { waitUntilIdle } from '../product/activity';
import { ChangeToStart, startChange } from '../product/change-starter';
import { readLiveProperties } from '../product/live-state';
import { idempotencyToken } from '../product/tokens';
import { HandlerDeps, invocationDeadline } from '../runtime';
import { describeError } from '../service-catalog';
import { OnEventResponse } from '../types';
import { LEDGER_PARAMETER_PATH, LedgerReading, ownerKnownFromLedger } from '../../lib/shared/ledger';
import { readLedger, readLedgerConsistentWith, writeLedger } from '../ledger/store';
import { DeleteAction, DeleteReading, DeleteRequest, declaredValuesOf, intendedWrites, ledgerAfterDelete, planDelete } from './delete-plan';
import { decodePhysicalId } from './physical-id';
import { otherDeclarationsOf } from './stack-resources';

const NOT_RESTORED = 'the original owner and launch role were NOT restored; put them back by hand if needed';
const KEPT_BECAUSE: Record<Extract<DeleteAction, { kind: 'keep' }>['reason'], string> = {
  'nothing-kept': 'delete: nothing to do',
  'ledger-unknown': `delete: the product's ledger could not be read (check the handler role's ssm:GetParameter on ${LEDGER_PARAMETER_PATH}/*), `
    + `so a declaration in another stack may govern the product: ${NOT_RESTORED}`,
  'stack-unknown': `delete: the stack could not be listed (check the handler role's cloudformation:ListStackResources on its own stack), `
    + `so another declaration may govern the product: ${NOT_RESTORED}`,
  'handed-over': 'delete: another declaration of the product takes over; nothing is restored',
  'originals-in-place': 'delete: the original owner and launch role are in place; nothing to restore',
  'product-gone': 'delete: the provisioned product no longer exists; nothing to restore',
  'product-unreadable': `delete: the product's status could not be read (check servicecatalog:DescribeProvisionedProduct and DescribeRecord): ${NOT_RESTORED}`,
};

/** Removes this resource's claim from the ledger before any write; a failure is logged, and the Delete goes on. */
async function releaseClaim(deps: HandlerDeps, request: DeleteRequest, ledger: LedgerReading, productId: string, deadline: number): Promise<void> {
  const after = ledgerAfterDelete(request, ledger);
  if (!after) return;
  const written = await writeLedger(deps, productId, after, deadline);
  if (written.kind === 'failed') {
    deps.log('delete: this declaration is still in the product\'s ledger; remove it from the parameter by hand', { productId, cause: written.cause });
  }
}

export async function onDelete(event: CloudFormationCustomResourceDeleteEvent, deps: HandlerDeps): Promise<OnEventResponse> {
  const keep: OnEventResponse = event.PhysicalResourceId ? { PhysicalResourceId: event.PhysicalResourceId } : {};
  const request: DeleteRequest = {
    physicalId: event.PhysicalResourceId, restoreOnDelete: event.ResourceProperties.RestoreOnDelete === 'true',
    acceptLanguage: event.ResourceProperties.AcceptLanguage as string | undefined, token: idempotencyToken(event),
    declared: declaredValuesOf(event.ResourceProperties), stackId: event.StackId, logicalId: event.LogicalResourceId,
  };
  const productId = decodePhysicalId(event.PhysicalResourceId).provisionedProductId;
  const waitStartedAt = deps.now();
  const deadline = invocationDeadline(deps);
  const pending = (change: ChangeToStart): OnEventResponse => ({ ...keep, Data: {
    [DataKey.RECORD_ID]: '', [DataKey.PROVISIONED_PRODUCT_ID]: change.provisionedProductId,
    [DataKey.HANDLER_STATE]: encodeHandlerState({ waitStartedAt, startPending: true, restoreValues: change.values }),
  } });
  try {
    let reading: DeleteReading | undefined;
    if (productId) {
      let ledger = await readLedger(deps, productId, deadline);
      reading = { ledger, others: await otherDeclarationsOf(deps, event, productId, deadline) };
      if (intendedWrites(request, reading).kind === 'write') {
        // Before any write: what runs on the product, and a ledger that knows its last record (another stack's, maybe).
        const activity = await waitUntilIdle(deps, productId, request.acceptLanguage, deadline);
        if (activity.kind === 'idle') ledger = await readLedgerConsistentWith(deps, productId, activity, deadline);
        reading = { ...reading, ledger, activity };
        const intended = intendedWrites(request, reading);
        if (intended.kind === 'write' && activity.kind === 'idle') {
          const known = ledger.kind === 'read' ? ownerKnownFromLedger(ledger.ledger, activity.lastRecordId, activity.lastRecordStatus) : undefined;
          reading = { ...reading, live: await readLiveProperties(deps, productId, intended.values, request.acceptLanguage, deadline, activity.detail, known) };
        }
      }
      // Released from the last ledger read, after the decision's reads: a later read would no longer show this claim.
      await releaseClaim(deps, request, ledger, productId, deadline);
    }
    const action = planDelete(request, reading);
    switch (action.kind) {
      case 'keep':
        deps.log(KEPT_BECAUSE[action.reason], { physicalResourceId: event.PhysicalResourceId, cause: action.cause });
        return keep;
      case 'restore-when-free':
        deps.log('delete: a change still runs on the product; isComplete waits for it, then restores', { productId: action.change.provisionedProductId, cause: action.cause });
        return pending(action.change);
      case 'restore': break;
    }
    deps.log('delete: restoring the original owner and launch role', { productId: action.change.provisionedProductId, restore: action.change.values });
    const started = await startChange(deps, action.change, action.change.idempotencyToken, deadline);
    if (started.kind !== 'started') {
      deps.log('delete: the restore did not start yet; isComplete retries it', { productId: action.change.provisionedProductId, cause: started.cause });
      return pending(action.change);
    }
    return { ...keep, Data: {
      [DataKey.RECORD_ID]: started.recordId, [DataKey.RECORD_STATUS]: started.status, [DataKey.PROVISIONED_PRODUCT_ID]: action.change.provisionedProductId,
      [DataKey.HANDLER_STATE]: encodeHandlerState({ waitStartedAt, startPending: false, changeAnsweredAt: started.startedAt, restoreValues: action.change.values }),
    } };
  } catch (error) {
    // A failure that waiting may cure is retried by isComplete; any other is reported and the deletion goes on.
    const { name, message } = describeError(error);
    deps.log(`delete: could not restore (${name}: ${message}): ${NOT_RESTORED}; the stack deletion goes on`, {
      productId,
    });
    return keep;
  }
}
