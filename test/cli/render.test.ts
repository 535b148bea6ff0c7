/** The table and the JSON of `plan`: colour only when asked, each reason once, the document. */
import { PlannedDeclaration } from '../../cli/plan';
import { hasChanges, renderJson, renderTable } from '../../cli/render';

const declarations: PlannedDeclaration[] = [{
  stack: 'Prod', path: 'Prod/Ownership', provisionedProductId: 'pp-1', provisionedProductName: 'ledger',
  changes: [
    { key: 'OWNER', live: 'arn:aws:iam::123456789012:role/A', declared: 'arn:aws:iam::123456789012:role/B', action: 'change' },
    { key: 'LAUNCH_ROLE', live: null, declared: 'arn:aws:iam::123456789012:role/L', action: 'unknown', reason: 'servicecatalog:ScanProvisionedProducts failed: AccessDeniedException: no' },
  ],
}, {
  stack: 'Prod', path: 'Prod/Other', provisionedProductId: null,
  changes: [{ key: 'OWNER', live: null, declared: null, action: 'unknown', reason: 'servicecatalog:ScanProvisionedProducts failed: AccessDeniedException: no' }],
}];

test('the table: one row per key, the product with its name, each reason once as a numbered note, no colour unless asked', () => {
  const table = renderTable(declarations, false);
  expect(table).not.toContain('\x1b[');
  expect(table.split('\n')).toEqual([
    expect.stringMatching(/^Stack\s+Path\s+Product\s+Key\s+Live\s+Declared\s+Action$/),
    expect.stringMatching(/^Prod\s+Prod\/Ownership\s+pp-1 \(ledger\)\s+OWNER\s+\S+role\/A\s+\S+role\/B\s+change$/),
    expect.stringMatching(/^\s+LAUNCH_ROLE\s+-\s+\S+role\/L\s+unknown \[1\]$/),
    expect.stringMatching(/^Prod\s+Prod\/Other\s+\(after deploy\)\s+OWNER\s+-\s+-\s+unknown \[1\]$/),
    '',
    '2 declarations: 1 change, 2 unknown',
    '',
    '[1] servicecatalog:ScanProvisionedProducts failed: AccessDeniedException: no',
    '',
  ]);
  expect(renderTable(declarations, true)).toContain('\x1b[33mchange\x1b[0m');
});

test('the JSON document: the issue\'s keys, and the reason where an action has one', () => {
  expect(JSON.parse(renderJson(declarations))).toEqual({
    declarations: [
      { stack: 'Prod', path: 'Prod/Ownership', provisionedProductId: 'pp-1', changes: [declarations[0].changes[0], declarations[0].changes[1]] },
      { stack: 'Prod', path: 'Prod/Other', provisionedProductId: null, changes: [declarations[1].changes[0]] },
    ],
  });
});

test('changes: any action but none', () => {
  expect(hasChanges(declarations)).toBe(true);
  expect(hasChanges([{ ...declarations[0], changes: [{ key: 'OWNER', live: 'a', declared: 'a', action: 'none' }] }])).toBe(false);
  expect(renderTable([], false)).toBe('No declarations of cdk-provisioned-product-properties in the selected stacks.\n');
});
