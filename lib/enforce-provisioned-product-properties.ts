import { Annotations, Duration, IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { IConstruct } from 'constructs';
import { AcceptLanguage } from './accept-language';
import { declarationOf, recordDeclaration } from './declarations';
import { inOtherLanguages } from './prop-names';
import { ProvisionedProductProperties } from './provisioned-product-properties';

/** What `EnforceProvisionedProductProperties` does with a product that declares nothing. */
export enum EnforcementMode {
  /** Declare the Aspect's owner and launch role for it. */
  ENFORCE = 'ENFORCE',
  /** Add nothing; report an error on it, so that `cdk synth` fails and names it. */
  AUDIT = 'AUDIT',
}

/**
 * Properties for `EnforceProvisionedProductProperties`.
 */
export interface EnforceProvisionedProductPropertiesProps {
  /**
   * Whether to declare the defaults for undeclared products, or only report them.
   *
   * @default EnforcementMode.ENFORCE
   */
  readonly mode?: EnforcementMode;

  /**
   * The owner to declare for every product that declares none (ENFORCE mode).
   *
   * @default - the owner is not declared
   */
  readonly owner?: string;

  /**
   * The launch role to declare for every product that declares none (ENFORCE mode).
   *
   * @default - the launch role is not declared
   */
  readonly launchRole?: iam.IRole;

  /**
   * The language of Service Catalog's messages, for the declarations this Aspect adds.
   *
   * @default AcceptLanguage.ENGLISH
   */
  readonly acceptLanguage?: AcceptLanguage;

  /**
   * How long the declarations this Aspect adds wait for their records.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
}

/**
 * Governs every `CfnCloudFormationProvisionedProduct` in a scope.
 *
 * In ENFORCE mode, each product with no `ProvisionedProductProperties` of its own gets one with
 * the Aspect's owner and launch role. A product that declares its own keeps it: its own wins.
 * The product's template Metadata (`cdk-provisioned-product-properties`) names the declaring
 * construct and whether it is the product's own declaration or this Aspect's.
 *
 * In AUDIT mode, nothing is added: each undeclared product gets an error annotation naming its
 * construct path, so `cdk synth` fails in CI.
 *
 * Applying it twice, or to nested scopes, adds nothing twice. A declaration is linked to its
 * product when its `provisionedProductId` is the product's `attrProvisionedProductId`, or its
 * `provisionedProductName` is the product's literal `provisionedProductName`.
 *
 * @example
 * declare const app: App;
 * declare const launchRole: iam.IRole;
 * Aspects.of(app).add(new EnforceProvisionedProductProperties({
 *   owner: 'arn:aws:iam::123456789012:role/PlatformTeam',
 *   launchRole,
 * }), { priority: AspectPriority.MUTATING });
 */
export class EnforceProvisionedProductProperties implements IAspect {
  private readonly mode: EnforcementMode;

  constructor(private readonly props: EnforceProvisionedProductPropertiesProps = {}) {
    this.mode = props.mode ?? EnforcementMode.ENFORCE;
    if (this.mode === EnforcementMode.ENFORCE && props.owner === undefined && props.launchRole === undefined) {
      throw new Error('EnforceProvisionedProductProperties: Invalid owner and launchRole (not set): ENFORCE mode declares them '
        + `for undeclared products, so give at least one, or use EnforcementMode.AUDIT.${inOtherLanguages('owner and launchRole')}`);
    }
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof servicecatalog.CfnCloudFormationProvisionedProduct) || declarationOf(node)) {
      return;
    }
    if (this.mode === EnforcementMode.AUDIT) {
      Annotations.of(node).addError(`Provisioned product ${node.node.path} declares no owner or launch role. Declare them with `
        + 'a ProvisionedProductProperties whose provisionedProductId is this product\'s attrProvisionedProductId, or apply '
        + 'EnforceProvisionedProductProperties in ENFORCE mode.');
      return;
    }
    const scope = node.node.scope!;
    const declaration = new ProvisionedProductProperties(scope, uniqueId(scope, `${node.node.id}Properties`), {
      provisionedProductId: node.attrProvisionedProductId,
      owner: this.props.owner,
      launchRole: this.props.launchRole,
      acceptLanguage: this.props.acceptLanguage,
      timeout: this.props.timeout,
    });
    recordDeclaration(declaration, { product: node }, 'EnforceProvisionedProductProperties');
  }
}

function uniqueId(scope: IConstruct, base: string): string {
  let id = base;
  for (let n = 2; scope.node.tryFindChild(id); n++) {
    id = `${base}${n}`;
  }
  return id;
}
