/**
 * The plan on screen: a table a person reads in a terminal (colour only on a TTY without
 * NO_COLOR), each reason once as a numbered note; and with --json, one document.
 */
import { Action, PlannedDeclaration } from './plan';

const COLOURS: Readonly<Record<Action, string>> = {
  'none': '32', 'change': '33', 'unknown': '35', 'known-after-deploy': '36', 'no-longer-enforced': '2', 'restore': '33',
};

/** The document of --json: `{"declarations":[{stack, path, provisionedProductId, changes:[{key, live, declared, action}]}]}`, and `reason` where an action has one. */
export function renderJson(declarations: readonly PlannedDeclaration[]): string {
  return JSON.stringify({
    declarations: declarations.map((d) => ({
      stack: d.stack,
      path: d.path,
      provisionedProductId: d.provisionedProductId,
      changes: d.changes.map((c) => ({ key: c.key, live: c.live, declared: c.declared, action: c.action, ...(c.reason ? { reason: c.reason } : {}) })),
    })),
  }, null, 2) + '\n';
}

export function renderTable(declarations: readonly PlannedDeclaration[], colour: boolean): string {
  if (declarations.length === 0) return 'No declarations of cdk-provisioned-product-properties in the selected stacks.\n';
  const notes: string[] = [];
  const noteOf = (reason: string) => {
    const at = notes.indexOf(reason);
    return at >= 0 ? at + 1 : notes.push(reason);
  };
  const header = ['Stack', 'Path', 'Product', 'Key', 'Live', 'Declared', 'Action'];
  const rows: Array<{ cells: string[]; action?: Action }> = [];
  for (const d of declarations) {
    const product = d.provisionedProductId
      ? d.provisionedProductName ? `${d.provisionedProductId} (${d.provisionedProductName})` : d.provisionedProductId
      : d.provisionedProductName ?? '(after deploy)';
    d.changes.forEach((c, i) => {
      const action = c.reason ? `${c.action} [${noteOf(c.reason)}]` : c.action;
      rows.push({ cells: [i === 0 ? d.stack : '', i === 0 ? d.path : '', i === 0 ? product : '', c.key, c.live ?? '-', c.declared ?? '-', action], action: c.action });
    });
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i].length)));
  const line = (cells: string[], action?: Action) => cells.map((cell, i) => {
    const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]);
    return colour && action && i === cells.length - 1 ? `\x1b[${COLOURS[action]}m${padded}\x1b[0m` : padded;
  }).join('  ').trimEnd();
  const out = [line(header), ...rows.map((r) => line(r.cells, r.action)), '', summary(declarations)];
  if (notes.length) out.push('', ...notes.map((n, i) => `[${i + 1}] ${n}`));
  return out.join('\n') + '\n';
}

function summary(declarations: readonly PlannedDeclaration[]): string {
  const counts = new Map<Action, number>();
  for (const c of declarations.flatMap((d) => d.changes)) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
  const parts = [...counts.entries()].map(([action, n]) => `${n} ${action}`);
  return `${declarations.length} declaration${declarations.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** True when some action is not `none`: exit code 2 with --detailed-exitcode. */
export function hasChanges(declarations: readonly PlannedDeclaration[]): boolean {
  return declarations.some((d) => d.changes.some((c) => c.action !== 'none'));
}
