/**
 * The example app's cdk.json (`npx cdk synth`): quick, and quiet about feature flags. Runs on the
 * floor (`npm test`) and on the newest aws-cdk-lib (scripts/cdk-releases.mjs).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';

const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));

/** Recommended differently by the floor (2.183) than by the newest releases; cdk.json follows the newest. */
const RECOMMENDATION_CHANGED = ['@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy'];

test('cdk.json sets every feature flag the loaded aws-cdk-lib recommends, as cdk init does', () => {
  const context: Record<string, unknown> = cdkJson.context;
  const differing = Object.entries(CURRENTLY_RECOMMENDED_FLAGS as Record<string, unknown>)
    .filter(([flag, value]) => !RECOMMENDATION_CHANGED.includes(flag) && JSON.stringify(context[flag]) !== JSON.stringify(value))
    .map(([flag, value]) => `${flag}: recommended ${JSON.stringify(value)}, cdk.json has ${JSON.stringify(context[flag])}`);
  expect(differing).toEqual([]);
  for (const flag of RECOMMENDATION_CHANGED) expect(flag in context).toBe(true);
});

test('the app is transpiled, not type-checked, by ts-node (type checking is npm test\'s: npm run typecheck)', () => {
  expect(cdkJson.app).toBe('npx ts-node --transpile-only --prefer-ts-exts test/integ.provisioned-product-properties.ts');
});
