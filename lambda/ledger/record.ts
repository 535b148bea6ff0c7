/**
 * What isComplete records in the ledger once a request is done: a Create's or an Update's claim
 * (with the originals its physical id keeps) and, when it made a change, that record and the
 * values it wrote; a Delete's restore record. A claim that cannot be recorded fails the deploy
 * (another stack could then undo this declaration); a record that cannot be is only logged: the
 * owner is then read from Search, as before the ledger.
 */
import { PropertyValues } from '../../lib/shared/declaration';
import { LedgerClaim, withClaim, withWritten } from '../../lib/shared/ledger';
import { DataKey } from '../../lib/shared/wire-contract';
import { releasedOriginals } from '../deploy/change-plan';
import { decodePhysicalId } from '../deploy/physical-id';
import { changeRequestOf } from '../deploy/request';
import { DeployFailure } from '../failures';
import { SUCCEEDED_STATUS } from '../product/judgements';
import { HandlerDeps } from '../runtime';
import { IsCompleteRequest, ResponseData } from '../types';
import { updateLedger } from './store';

/** The record this request's response names, when it SUCCEEDED: the values it wrote are then in place. */
function succeededRecord(data: ResponseData | undefined): string | undefined {
  const recordId = data?.[DataKey.RECORD_ID];
  return recordId && data?.[DataKey.RECORD_STATUS] === SUCCEEDED_STATUS ? recordId : undefined;
}

export async function recordDeclaration(deps: HandlerDeps, event: IsCompleteRequest, data: ResponseData | undefined, deadline: number): Promise<void> {
  if (event.RequestType === 'Delete') return;
  const request = changeRequestOf(event as Parameters<typeof changeRequestOf>[0]);
  const kept = decodePhysicalId(event.PhysicalResourceId);
  const productId = data?.[DataKey.PROVISIONED_PRODUCT_ID] ?? event.Data?.[DataKey.PROVISIONED_PRODUCT_ID] ?? kept.provisionedProductId;
  if (!productId) return;
  const claim: LedgerClaim = {
    stackId: event.StackId, logicalId: event.LogicalResourceId, physicalId: event.PhysicalResourceId ?? productId,
    declared: request.declaration.values, restoreOnDelete: request.declaration.restoreOnDelete,
  };
  const recordId = succeededRecord(data);
  const values: PropertyValues = { ...request.declaration.values, ...releasedOriginals(request, productId) };
  const result = await updateLedger(deps, productId, deadline, (ledger) => {
    const claimed = withClaim(ledger, claim, kept.originals);
    return recordId ? withWritten(claimed, { recordId, values }) : claimed;
  });
  if (result.kind === 'failed') {
    throw new DeployFailure({ kind: 'ledger-unwritable', productId, cause: result.cause });
  }
}

export async function recordRestore(deps: HandlerDeps, productId: string, data: ResponseData | undefined, values: PropertyValues | undefined,
  deadline: number): Promise<void> {
  const recordId = succeededRecord(data);
  if (!recordId || !values) return;
  const result = await updateLedger(deps, productId, deadline, (ledger) => withWritten(ledger, { recordId, values }));
  if (result.kind === 'failed') deps.log('delete: the restore record is not in the product\'s ledger; its owner is read from Search', { productId, cause: result.cause });
}
