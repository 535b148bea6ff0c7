import { Annotations, IAspect } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { IConstruct } from 'constructs';
import { ProvisionedProductPropertiesOptions } from '../declaration-options';
import { declarationOf, recordDeclaration } from './declarations';
import { ENFORCEMENT_ASPECT, governorOf, validateEnforcementSettings } from './enforcement-rules';
import { ProvisionedProductProperties } from '../provisioned-product-properties';

/** What `EnforceProvisionedProductProperties` does with a product that declares nothing. */
export enum EnforcementMode {
  /** Declare the Aspect's owner and launch role for it. */
  ENFORCE = 'ENFORCE',
  /** Add nothing; report an error on it, so that `cdk synth` fails and names it. */
  AUDIT = 'AUDIT',
}

/**
 * Properties for `EnforceProvisionedProductProperties`.
 *
 * The props it shares with `ProvisionedProductProperties` (`owner`, `launchRole`,
 * `acceptLanguage`, `timeout`, `restoreOnDelete`, `driftCorrection`) are those of the declarations
 * this Aspect adds, one for each product that declares nothing, in ENFORCE mode. ENFORCE needs
 * `owner` or `launchRole`; AUDIT adds nothing, so it refuses them all. `driftCorrection` must be
 * the schedule of the stack's own declarations: a stack has one.
 */
export interface EnforceProvisionedProductPropertiesProps extends ProvisionedProductPropertiesOptions {
  /**
   * Whether to declare the defaults for undeclared products, or only report them.
   *
   * @default EnforcementMode.ENFORCE
   */
  readonly mode?: EnforcementMode;
}

/**
 * Governs every `CfnCloudFormationProvisionedProduct` in a scope.
 *
 * In ENFORCE mode, each product with no `ProvisionedProductProperties` of its own gets one with
 * the Aspect's owner and launch role (and its `acceptLanguage`, `timeout`, `restoreOnDelete` and
 * `driftCorrection`). The product's template Metadata (`cdk-provisioned-product-properties`)
 * names the declaring construct and whether it is the product's own declaration or this Aspect's.
 *
 * In AUDIT mode, nothing is added: each undeclared product gets an error annotation naming its
 * construct path, so `cdk synth` fails in CI. AUDIT refuses the props that shape a declaration
 * (`owner`, `launchRole`, ...), which it would otherwise ignore.
 *
 * Precedence: a product's own declaration wins over every Aspect; among Aspects, the one applied
 * to the nearest scope of the product (its stack rather than the app) decides, whatever the
 * Aspects' priorities and the order they were added in. Two on one scope are an error. A
 * declaration is linked to its product when its `provisionedProductId` is the product's
 * `attrProvisionedProductId`, or its `provisionedProductName` is the product's literal
 * `provisionedProductName`.
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
    validateEnforcementSettings({ ...props, mode: this.mode });
    Object.defineProperty(this, ENFORCEMENT_ASPECT, { value: true });
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof servicecatalog.CfnCloudFormationProvisionedProduct) || declarationOf(node)) {
      return;
    }
    const governor = governorOf(node);
    if (governor.kind === 'ambiguous') {
      if (governor.aspects[0] === this) {
        Annotations.of(node).addError(`Provisioned product ${node.node.path} is governed by ${governor.aspects.length} `
          + `EnforceProvisionedProductProperties Aspects applied to the same scope, '${governor.scope.node.path}', so which one `
          + 'declares it is not defined. Apply one per scope; a more specific scope (a stack) overrides a broader one (the app).');
      }
      return;
    }
    if (governor.kind === 'one' && governor.aspect !== this) {
      return; // an Aspect applied nearer the product decides
    }
    if (this.mode === EnforcementMode.AUDIT) {
      Annotations.of(node).addError(`Provisioned product ${node.node.path} declares no owner or launch role. Declare them with `
        + 'a ProvisionedProductProperties whose provisionedProductId is this product\'s attrProvisionedProductId, or apply '
        + 'EnforceProvisionedProductProperties in ENFORCE mode.');
      return;
    }
    const scope = node.node.scope!;
    let declaration: ProvisionedProductProperties;
    try {
      declaration = new ProvisionedProductProperties(scope, uniqueId(scope, `${node.node.id}Properties`), {
        provisionedProductId: node.attrProvisionedProductId,
        owner: this.props.owner,
        launchRole: this.props.launchRole,
        acceptLanguage: this.props.acceptLanguage,
        timeout: this.props.timeout,
        restoreOnDelete: this.props.restoreOnDelete,
        driftCorrection: this.props.driftCorrection,
        driftMode: this.props.driftMode,
      });
    } catch (error) {
      const where = governor.kind === 'one' ? ` applied to '${governor.scope.node.path || '(the app)'}'` : '';
      throw new Error(`EnforceProvisionedProductProperties${where}, declaring provisioned product ${node.node.path}: `
        + `${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
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
