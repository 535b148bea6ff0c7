/** REPORT mode in the planner and in the payload: drift is reported, never corrected; an unknown mode writes nothing. */
import { planDriftCorrection } from '../../../lambda/drift/plan';
import { Declaration } from '../../../lib/shared/declaration';
import { DriftMode } from '../../../lib/shared/drift-mode';
import { DRIFT_EVENT_KIND, DriftCorrectionEvent, declarationsDigest, driftModeOf } from '../../../lib/shared/drift-payload';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/Owner`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const declaration: Declaration = { product: { id: 'pp-1' }, values: { OWNER } };
const drifted = { owner: { listed: true as const, userArn: ALICE } };

test('drifted in REPORT mode: reported with its own action and the drift, no change planned', () => {
  expect(planDriftCorrection({ stackName: 'S', eventId: 'e-1', mode: DriftMode.REPORT }, declaration, 'pp-1', drifted)).toEqual({
    kind: 'report', action: 'drift-reported', drift: { OWNER: { declared: OWNER, live: ALICE } }, reason: 'not corrected: the check is in REPORT mode',
  });
});

test('REPORT mode needs no event id: drift without one is reported, not a failure', () => {
  expect(planDriftCorrection({ stackName: 'S', mode: DriftMode.REPORT }, declaration, 'pp-1', drifted)).toMatchObject({ action: 'drift-reported' });
});

test('in the declared state, REPORT mode reports nothing to do, as CORRECT does', () => {
  expect(planDriftCorrection({ stackName: 'S', eventId: 'e', mode: DriftMode.REPORT }, declaration, 'pp-1', { owner: { listed: true, userArn: OWNER } }))
    .toEqual({ kind: 'report', action: 'none', drift: {} });
});

test('CORRECT mode (given, or left out) still plans the correction', () => {
  expect(planDriftCorrection({ stackName: 'S', eventId: 'e', mode: DriftMode.CORRECT }, declaration, 'pp-1', drifted)).toMatchObject({ kind: 'correct' });
  expect(planDriftCorrection({ stackName: 'S', eventId: 'e' }, declaration, 'pp-1', drifted)).toMatchObject({ kind: 'correct' });
});

describe('the mode of an input', () => {
  test('absent (an input of an earlier release) is CORRECT', () => {
    expect(driftModeOf({})).toBe(DriftMode.CORRECT);
  });
  test('a value this release does not know writes nothing: REPORT', () => {
    expect(driftModeOf({ mode: 'AUTO' as DriftMode })).toBe(DriftMode.REPORT);
  });
  test('is part of the declarations\' digest: a CORRECT input does not pass for a REPORT target, absent equals CORRECT', () => {
    const base: DriftCorrectionEvent = { kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: [] as string[], products: [] };
    expect(declarationsDigest({ ...base, mode: DriftMode.REPORT })).not.toBe(declarationsDigest(base));
    expect(declarationsDigest({ ...base, mode: DriftMode.CORRECT })).toBe(declarationsDigest(base));
  });
});
