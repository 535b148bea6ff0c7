/** What the drift end-to-end tests share: the built asset and the metric lines it logged. */
import * as path from 'path';
import { HANDLER_ASSET_DIR } from '../../lib/provider/handler-functions';

/** The built asset (assets/handler/index.js), as Lambda loads it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const driftAsset = () => require(path.join(HANDLER_ASSET_DIR, 'index.js'));

/** The drift metric lines logged since index `from`, as objects. */
export function driftLinesOf(logs: readonly string[], from: number): any[] {
  return logs.slice(from).filter((l) => l.includes('"message":"drift check"')).map((l) => JSON.parse(l));
}
