/**
 * Comparing a declaration with what Search and Describe report, under every reading of the
 * undocumented UserArn/UserArnSession and role-path behaviour.
 */
import { compareWithLive, inDeclaredState, liveValue, originalsToKeep, ownerMatches } from '../../../lambda/product/live-comparison';

const A = '123456789012';
const ROLE = `arn:aws:iam::${A}:role/PlatformTeam`;
const ROLE_WITH_PATH = `arn:aws:iam::${A}:role/teams/platform/PlatformTeam`;
const SESSION = `arn:aws:sts::${A}:assumed-role/PlatformTeam/alice`;
const USER = `arn:aws:iam::${A}:user/alice`;
const LAUNCH = `arn:aws:iam::${A}:role/Launch`;

describe('ownerMatches', () => {
  test.each([
    ['the role, reported as set', ROLE, { userArn: ROLE, userArnSession: ROLE }],
    ['the role, reported without its path', ROLE_WITH_PATH, { userArn: ROLE }],
    ['the role, reported with a path it was not declared with', ROLE, { userArn: ROLE_WITH_PATH }],
    ['a user, reported as set', USER, { userArn: USER }],
    ['an assumed role, reported as set in both fields', SESSION, { userArn: SESSION, userArnSession: SESSION }],
    ['an assumed role, reported as the role IAM ARN with the session in UserArnSession', SESSION, { userArn: ROLE, userArnSession: SESSION }],
    ['an assumed role, reported as the role with its path and the session', SESSION, { userArn: ROLE_WITH_PATH, userArnSession: SESSION }],
    ['an assumed role, reported as the role alone (the session dropped)', SESSION, { userArn: ROLE }],
  ])('matches %s', (_title, declared, live) => {
    expect(ownerMatches(declared, { listed: true, ...live })).toBe(true);
  });

  test.each([
    ['another role', ROLE, { userArn: `arn:aws:iam::${A}:role/Other` }],
    ['a user of the same name as the role', `arn:aws:iam::${A}:user/PlatformTeam`, { userArn: ROLE }],
    ['the role in another account', ROLE, { userArn: 'arn:aws:iam::999999999999:role/PlatformTeam' }],
    ['the role in another partition', ROLE, { userArn: `arn:aws-cn:iam::${A}:role/PlatformTeam` }],
    ['an assumed role whose reported session differs', SESSION, { userArn: ROLE, userArnSession: `arn:aws:sts::${A}:assumed-role/PlatformTeam/bob` }],
    ['a role declared, a session of that role reported', ROLE, { userArn: SESSION, userArnSession: SESSION }],
    ['no owner reported', ROLE, {}],
  ])('does not match %s', (_title, declared, live) => {
    expect(ownerMatches(declared, { listed: true, ...live })).toBe(false);
  });
});

describe('compareWithLive', () => {
  test('lists only the declared keys whose known live value differs', () => {
    expect(compareWithLive({ OWNER: ROLE, LAUNCH_ROLE: LAUNCH }, { owner: { listed: true, userArn: ROLE }, launchRoleArn: LAUNCH }))
      .toEqual({ drifted: {}, unknown: [] });
    expect(compareWithLive({ OWNER: ROLE, LAUNCH_ROLE: LAUNCH }, { owner: { listed: true, userArn: USER }, launchRoleArn: LAUNCH }))
      .toEqual({ drifted: { OWNER: ROLE }, unknown: [] });
    expect(compareWithLive({ LAUNCH_ROLE: LAUNCH }, {})).toEqual({ drifted: { LAUNCH_ROLE: LAUNCH }, unknown: [] });
  });

  test('an owner Search did not list is unknown, never "no owner", and never proves the declared state', () => {
    const comparison = compareWithLive({ OWNER: ROLE, LAUNCH_ROLE: LAUNCH }, { owner: { listed: false }, launchRoleArn: LAUNCH });
    expect(comparison).toEqual({ drifted: {}, unknown: ['OWNER'] });
    expect(inDeclaredState(comparison)).toBe(false);
    expect(inDeclaredState(compareWithLive({ OWNER: ROLE }, { owner: { listed: true, userArn: ROLE } }))).toBe(true);
  });
});

test('originalsToKeep keeps the live value of each declared key, the owner as UserArn, and \'\' where there was none', () => {
  expect(originalsToKeep({ OWNER: ROLE, LAUNCH_ROLE: LAUNCH }, { owner: { listed: true, userArn: USER }, launchRoleArn: undefined })).toEqual({ OWNER: USER, LAUNCH_ROLE: '' });
  expect(originalsToKeep({ LAUNCH_ROLE: LAUNCH }, { owner: { listed: true, userArn: USER }, launchRoleArn: 'arn:l' })).toEqual({ LAUNCH_ROLE: 'arn:l' });
  expect(originalsToKeep({ OWNER: ROLE }, { owner: { listed: true, userArn: ROLE, userArnSession: SESSION } })).toEqual({ OWNER: ROLE });
});

test('liveValue reports the session where Search gives one, and null where nothing is known', () => {
  expect(liveValue('OWNER', { owner: { listed: true, userArn: ROLE, userArnSession: SESSION } })).toBe(SESSION);
  expect(liveValue('OWNER', { owner: { listed: false } })).toBeNull();
  expect(liveValue('LAUNCH_ROLE', { launchRoleArn: LAUNCH })).toBe(LAUNCH);
});
