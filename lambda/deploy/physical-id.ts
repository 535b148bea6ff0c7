/**
 * The physical id is the provisioned product id. With restoreOnDelete, it also carries the
 * original owner and launch role: CloudFormation keeps the physical id across Lambda restarts and
 * Updates, and sends it back on Delete, so no other store is needed.
 */
import { PropertyValues, pickValues } from '../../lib/shared/declaration';

const RESTORE_MARKER = '/restore:';
/** CloudFormation's limit for a physical resource id. */
export const MAX_PHYSICAL_ID_LENGTH = 1024;

export function encodePhysicalId(provisionedProductId: string, originals?: PropertyValues): string {
  if (!originals) {
    return provisionedProductId;
  }
  return provisionedProductId + RESTORE_MARKER + Buffer.from(JSON.stringify(originals), 'utf8').toString('base64url');
}

export function decodePhysicalId(physicalId: string | undefined): { provisionedProductId?: string; originals?: PropertyValues } {
  if (!physicalId) {
    return {};
  }
  const at = physicalId.indexOf(RESTORE_MARKER);
  if (at < 0) {
    return { provisionedProductId: physicalId };
  }
  try {
    const kept = JSON.parse(Buffer.from(physicalId.slice(at + RESTORE_MARKER.length), 'base64url').toString('utf8'));
    const originals = pickValues({ OWNER: kept.OWNER, LAUNCH_ROLE: kept.LAUNCH_ROLE }, (_key, value) => typeof value === 'string');
    return { provisionedProductId: physicalId.slice(0, at), originals };
  } catch {
    return { provisionedProductId: physicalId.slice(0, at) };
  }
}
