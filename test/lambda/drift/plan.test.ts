/** What a drift run does with one product it has read. */
import { NO_EVENT_ID_REASON, planDriftCorrection } from '../../../lambda/drift/plan';
import { idempotencyToken } from '../../../lambda/product/tokens';
import { Declaration } from '../../../lib/shared/declaration';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/Owner`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const LAUNCH = `arn:aws:iam::${ACCOUNT}:role/Launch`;
const declaration: Declaration = { product: { name: 'team-app' }, values: { OWNER, LAUNCH_ROLE: LAUNCH }, acceptLanguage: 'jp' as Declaration['acceptLanguage'] };
const run = { stackName: 'S', eventId: 'e-1' };

test('in the declared state: nothing to do', () => {
  expect(planDriftCorrection(run, declaration, 'pp-1', { owner: { listed: true, userArn: OWNER }, launchRoleArn: LAUNCH }))
    .toEqual({ kind: 'report', action: 'none', drift: {} });
});

test('the owner is not listed: the check is incomplete, and nothing is written on a guess', () => {
  expect(planDriftCorrection(run, declaration, 'pp-1', { owner: { listed: false }, launchRoleArn: LAUNCH }))
    .toMatchObject({ kind: 'report', action: 'check-incomplete', reason: expect.stringContaining('OWNER could not be read') });
});

test('drifted: every declared key is re-applied, with a token a redelivery of the event repeats', () => {
  expect(planDriftCorrection(run, declaration, 'pp-1', { owner: { listed: true, userArn: ALICE }, launchRoleArn: LAUNCH })).toEqual({
    kind: 'correct', drift: { OWNER: { declared: OWNER, live: ALICE } },
    change: {
      idempotencyToken: idempotencyToken({ StackId: 'S', LogicalResourceId: 'pp-1', RequestId: 'e-1' }),
      provisionedProductId: 'pp-1', values: { OWNER, LAUNCH_ROLE: LAUNCH }, acceptLanguage: 'jp',
    },
  });
});

test('drifted, but the event has no id: reported, not corrected', () => {
  expect(planDriftCorrection({ stackName: 'S' }, declaration, 'pp-1', { owner: { listed: true, userArn: ALICE }, launchRoleArn: LAUNCH }))
    .toMatchObject({ kind: 'report', action: 'correction-failed', reason: NO_EVENT_ID_REASON });
});
