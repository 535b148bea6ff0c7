import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AcceptLanguage } from './accept-language';
import { DriftMode } from './shared/drift-mode';

/**
 * What a declaration of a provisioned product's properties states, beyond the product it names:
 * the props shared by `ProvisionedProductProperties` and `EnforceProvisionedProductProperties`
 * (which states them for the declarations it adds).
 */
export interface ProvisionedProductPropertiesOptions {
  /**
   * The owner of the provisioned product (the OWNER property): the ARN of an IAM user, an IAM
   * role or an STS assumed role, in the product's account.
   *
   * After a change, the previous owner loses access to the product unless a policy grants it.
   *
   * @default - the owner is not managed
   */
  readonly owner?: string;

  /**
   * The launch role of the provisioned product (the LAUNCH_ROLE property): the role Service
   * Catalog uses for later updates and termination of the product. The handler is allowed to
   * pass this role, and only this role, to Service Catalog.
   *
   * @default - the launch role is not managed
   */
  readonly launchRole?: iam.IRole;

  /**
   * The language of the messages Service Catalog returns.
   *
   * @default AcceptLanguage.ENGLISH
   */
  readonly acceptLanguage?: AcceptLanguage;

  /**
   * How long to wait for the change's record to reach SUCCEEDED or FAILED. Past it, the deploy
   * fails with a message that names the record and its last status. At most 1 hour, which is
   * as long as CloudFormation waits for a custom resource.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;

  /**
   * Put back, when this resource is removed or its stack deleted, the owner and launch role that
   * were in place before this resource first changed them.
   *
   * After an OWNER change, the principal that provisioned the product (often the role that
   * deploys the stack) can no longer update or terminate it. Restoring the original owner before
   * the product is terminated keeps a stack deletion working. The original values travel in the
   * resource's physical id, so they survive Lambda restarts and later Updates with no other
   * store. Turning it on for an existing resource keeps the values in place at that time.
   *
   * @default false
   */
  readonly restoreOnDelete?: boolean;

  /**
   * Check on this schedule that the product still has the declared owner and launch role, and
   * re-apply them where they drifted (for example after a change in the console). The stack gets
   * one EventBridge rule and one function for all its declarations, however many; they must all
   * use the same schedule. Each check logs one line per product with the drift found and the
   * action taken, with CloudWatch metrics (namespace `ProvisionedProductProperties`) to alarm on.
   *
   * @default - no drift correction between deploys
   */
  readonly driftCorrection?: events.Schedule;

  /**
   * What the `driftCorrection` schedule does with the drift it finds: re-apply the declaration
   * (`DriftMode.CORRECT`), or only report it (`DriftMode.REPORT`: the same log lines and
   * metrics, the action `drift-reported`, no write to Service Catalog). Like the schedule, one
   * mode for all the declarations of a stack. Requires `driftCorrection`.
   *
   * @default DriftMode.CORRECT
   */
  readonly driftMode?: DriftMode;
}
