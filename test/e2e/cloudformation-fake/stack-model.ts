/**
 * Keeps the CloudFormation fake's resource table in step with the requests the harness plays, as
 * CloudFormation would list them (User Guide, "Custom resource request types"): while a resource
 * is updated it keeps its current physical id; a successful Create or Update lists the physical
 * id it answered (a replacement lists the new one, while the old one's Delete comes later); a
 * Delete of the current physical id lists it DELETE_IN_PROGRESS, then not at all.
 */
import type { CloudFormationRequest } from '../cloudformation-request';
import type { CapturedResponse } from '../framework-harness';
import { CloudFormationFake } from './server';

export interface StackModel {
  before(request: CloudFormationRequest): void;
  after(request: CloudFormationRequest, response: CapturedResponse): void;
}

export function stackModelOf(fake: CloudFormationFake): StackModel {
  return {
    before(request) {
      fake.ensureStack(request.StackId);
      const current = fake.resource(request.StackId, request.LogicalResourceId);
      if (request.RequestType !== 'Create' && current && current.physicalId === request.PhysicalResourceId) {
        fake.setResource(request.StackId, { ...current, status: request.RequestType === 'Delete' ? 'DELETE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS' });
      }
    },
    after(request, response) {
      const current = fake.resource(request.StackId, request.LogicalResourceId);
      if (request.RequestType === 'Delete') {
        if (current?.physicalId === request.PhysicalResourceId) fake.removeResource(request.StackId, request.LogicalResourceId);
        return;
      }
      const done = response.Status === 'SUCCESS';
      const status = `${request.RequestType === 'Create' ? 'CREATE' : 'UPDATE'}_${done ? 'COMPLETE' : 'FAILED'}`;
      // A failed Update keeps the physical id it had; a Create lists what it answered.
      const physicalId = done || request.RequestType === 'Create' ? response.PhysicalResourceId : current?.physicalId ?? response.PhysicalResourceId;
      fake.setResource(request.StackId, { logicalId: request.LogicalResourceId, physicalId, type: request.ResourceType, status });
    },
  };
}
