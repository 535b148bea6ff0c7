/**
 * Principal ARNs the service accepts as OWNER and LAUNCH_ROLE. The model types both values as a
 * plain string (PropertyValue, 0..1024 chars); these rules are the service's semantic checks
 * (documented on UpdateProvisionedProductProperties), answered with InvalidParametersException.
 */

export type PrincipalKind = 'user' | 'role' | 'assumed-role';

export interface Principal {
  readonly kind: PrincipalKind;
  readonly partition: string;
  readonly account: string;
  /** For 'role' and 'assumed-role': the role's name (without path). */
  readonly roleName?: string;
  /** For 'user' and 'role': the IAM path, '/' or '/a/b/'. An assumed-role ARN carries none. */
  readonly path?: string;
}

// IAM names allow [\w+=,.@-]; paths are /-separated segments of the same characters.
const NAME = '[\\w+=,.@-]{1,64}';
const PATH = '(?:[\\w+=,.@-]+/)*';
const PARTITION = '(aws(?:-[a-z]+)*)';
const ACCOUNT = '(\\d{12})';

const USER_ARN = new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:user/(${PATH})(${NAME})$`);
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:role/(${PATH})(${NAME})$`);
const IAM_PATH = new RegExp(`^/${PATH}$`);
const ASSUMED_ROLE_ARN = new RegExp(`^arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/(${NAME})/[\\w+=,.@-]{2,64}$`);

/** Parses an IAM user, IAM role or STS assumed-role ARN; undefined for anything else. */
export function parsePrincipalArn(arn: string): Principal | undefined {
  let m = USER_ARN.exec(arn);
  if (m) return { kind: 'user', partition: m[1], account: m[2], path: `/${m[3]}` };
  m = ROLE_ARN.exec(arn);
  if (m) return { kind: 'role', partition: m[1], account: m[2], roleName: m[4], path: `/${m[3]}` };
  m = ASSUMED_ROLE_ARN.exec(arn);
  if (m) return { kind: 'assumed-role', partition: m[1], account: m[2], roleName: m[3] };
  return undefined;
}

/** True when both ARNs name the same role (a role, or a session of it) in the same account. */
export function sameRole(a: string, b: string): boolean {
  const pa = parsePrincipalArn(a);
  const pb = parsePrincipalArn(b);
  return pa?.roleName !== undefined && pa.roleName === pb?.roleName && pa.account === pb.account;
}

/** An IAM path as IAM writes it: '/' or '/a/b/'. */
export function isIamPath(path: string): boolean {
  return IAM_PATH.test(path);
}

/** arn:<partition>:iam::<account>:role<path><name>. */
export function roleArn(partition: string, account: string, roleName: string, path = '/'): string {
  return `arn:${partition}:iam::${account}:role${path}${roleName}`;
}
