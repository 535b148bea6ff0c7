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

/**
 * On the floor (the devDependency), every recommended flag. On a newer release, a flag it adds
 * after cdk.json was last updated is not a failure (new releases keep coming, and CI's newest-release
 * pass must stay green); a flag cdk.json sets against the release's recommendation is.
 */
const onFloor = process.env.EXPECT_AWS_CDK_LIB_VERSION === undefined;

test('cdk.json sets the feature flags the loaded aws-cdk-lib recommends, as cdk init does', () => {
  const context: Record<string, unknown> = cdkJson.context;
  const differing = Object.entries(CURRENTLY_RECOMMENDED_FLAGS as Record<string, unknown>)
    .filter(([flag]) => !RECOMMENDATION_CHANGED.includes(flag) && (onFloor || flag in context))
    .filter(([flag, value]) => JSON.stringify(context[flag]) !== JSON.stringify(value))
    .map(([flag, value]) => `${flag}: recommended ${JSON.stringify(value)}, cdk.json has ${JSON.stringify(context[flag])}`);
  expect(differing).toEqual([]);
  for (const flag of RECOMMENDATION_CHANGED) expect(flag in context).toBe(true);
});

test('the app is transpiled, not type-checked, by ts-node (type checking is npm test\'s: npm run typecheck)', () => {
  expect(cdkJson.app).toBe('npx ts-node --transpile-only --prefer-ts-exts test/integ.provisioned-product-properties.ts');
});
