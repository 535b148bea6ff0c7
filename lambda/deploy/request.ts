/** A request's declaration, held to the construct's rules before any API call: a hand-edited template stops here. */
import { ResourceDeclaration } from '../../lib/shared/declaration';
import { PropertyValidationError } from '../../lib/shared/validation';
import { parseWireProperties, stackEnvironment } from '../../lib/shared/wire-contract';
import { DeployFailure } from '../failures';
import { idempotencyToken } from '../product/tokens';
import { ChangeEvent, ChangeRequest } from './change-plan';

/** Throws a DeployFailure (`invalid-properties`) for properties the construct would refuse. */
export function validDeclaration(event: Pick<ChangeEvent, 'ResourceProperties' | 'StackId'>): ResourceDeclaration {
  try {
    return parseWireProperties(event.ResourceProperties, stackEnvironment(event.StackId));
  } catch (error) {
    if (error instanceof PropertyValidationError) {
      throw new DeployFailure({ kind: 'invalid-properties', validation: error.message });
    }
    throw error;
  }
}

/** A Create or an Update as the planner sees it. */
export function changeRequestOf(event: ChangeEvent): ChangeRequest {
  return {
    declaration: validDeclaration(event),
    properties: event.ResourceProperties,
    previous: event.RequestType === 'Update' ? { properties: event.OldResourceProperties, physicalId: event.PhysicalResourceId } : undefined,
    token: idempotencyToken(event),
    stackId: event.StackId,
    logicalId: event.LogicalResourceId,
  };
}
