/**
 * The handler role's permission to pass the declared launch roles to Service Catalog: each
 * distinct role listed once, packed into as few customer managed policies as IAM's limits allow.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ESTIMATED_TOKEN_ARN_LENGTH, listedLength } from '../deploy-time-estimates';

/**
 * iam:PassRole is granted through customer managed policies of at most 6,144 characters each
 * (IAM's limit), so that hundreds of distinct launch roles never hit the 10,240-character limit
 * of a role's inline policies. This budget leaves room for the statement around the ARNs.
 */
export const PASS_ROLE_POLICY_BUDGET = 5_600;
/** IAM's default quota of managed policies attached to one role. */
export const MAX_MANAGED_POLICIES_PER_ROLE = 10;

export interface PassRolePoliciesProps {
  /** The role that passes the launch roles: the handlers'. */
  readonly role: iam.IRole;
  /** Whether the provider created `role` (else it is yours, possibly imported). */
  readonly ownsRole: boolean;
  readonly iamPath?: string;
  /** With it, one of the role's managed policies already holds its other statements. */
  readonly managedPoliciesOnly?: boolean;
  /** What must wait for the policies on a role of yours: the framework's onEvent, which every request goes through. */
  readonly dependent: IConstruct;
}

interface PassRolePolicy {
  readonly statement: iam.PolicyStatement;
  charactersUsed: number;
}

/** The iam:PassRole managed policies of one provider, created in `scope` as they fill up. */
export class PassRolePolicies {
  private readonly policies: PassRolePolicy[] = [];
  private readonly roleArns = new Set<string>();

  constructor(private readonly scope: Construct, private readonly props: PassRolePoliciesProps) {}

  /**
   * Lets the handlers pass `role` to Service Catalog as a launch role, and only with
   * `iam:PassedToService = servicecatalog.amazonaws.com`. Each distinct role is listed once, in
   * one statement per managed policy: a new policy starts only when the last one is full (50 to
   * 60 roles, by their ARNs' length), never per instance. The role's ManagedPolicyArns make the
   * handlers wait for them.
   */
  public allow(role: iam.IRole): void {
    const arn = role.roleArn;
    if (this.roleArns.has(arn)) {
      return;
    }
    this.roleArns.add(arn);
    const characters = listedLength(arn, ESTIMATED_TOKEN_ARN_LENGTH);
    let policy = this.policies[this.policies.length - 1];
    if (!policy || policy.charactersUsed + characters > PASS_ROLE_POLICY_BUDGET) {
      policy = this.newPolicy();
    }
    policy.statement.addResources(arn);
    policy.charactersUsed += characters;
  }

  private newPolicy(): PassRolePolicy {
    const { role, ownsRole } = this.props;
    const maxPolicies = MAX_MANAGED_POLICIES_PER_ROLE - (this.props.managedPoliciesOnly && ownsRole ? 1 : 0);
    if (this.policies.length === maxPolicies) {
      throw new Error(`cdk-provisioned-product-properties: the launch roles of stack ${Stack.of(this.scope).stackName} no longer `
        + `fit in ${maxPolicies} managed policies of the handler role (IAM's default quota), at `
        + `${this.roleArns.size} distinct roles. Share launch roles between products, or split the products across stacks.`);
    }
    const policy: PassRolePolicy = {
      statement: new iam.PolicyStatement({
        sid: 'PassLaunchRolesToServiceCatalog',
        actions: ['iam:PassRole'],
        conditions: { StringEquals: { 'iam:PassedToService': 'servicecatalog.amazonaws.com' } },
      }),
      charactersUsed: 0,
    };
    this.policies.push(policy);
    const managed = new iam.ManagedPolicy(this.scope, `PassLaunchRoles${this.policies.length}`, {
      description: 'Lets the provisioned-product-properties handler pass the declared launch roles to Service Catalog',
      path: this.props.iamPath,
      statements: [policy.statement],
    });
    if (ownsRole) {
      role.addManagedPolicy(managed);
    } else {
      // A role of yours, possibly imported (whose addManagedPolicy does nothing): the policy names
      // the role, and the framework's onEvent, which every custom resource calls, waits for it.
      managed.attachToRole(role);
      this.props.dependent.node.addDependency(managed);
    }
    return policy;
  }
}
