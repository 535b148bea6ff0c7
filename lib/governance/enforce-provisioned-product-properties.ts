import { Annotations, IAspect, Stack } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { IConstruct } from 'constructs';
import { ProvisionedProductPropertiesOptions } from '../declaration-options';
import { constructName, validationError } from '../construct-errors';
import { assertOneCopy } from '../duplicate-copies';
import { declarationDifferences } from './declaration-differences';
import { declarationOf, ownDeclarationOf, recordDeclaration } from './declarations';
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
 * What `EnforceProvisionedProductProperties` does when a product's own `ProvisionedProductProperties`
 * declares an owner or launch role other than the Aspect's. The product's own declaration always
 * decides what is deployed; this says whether synth accepts it.
 */
export enum DeclarationOverride {
  /** Accept it, with a warning on the product that names both declarations and the values that differ. */
  WARN = 'WARN',
  /**
   * Refuse it: an error on the product that names both, so that `cdk synth` fails. Locks the owner
   * and launch role across the Aspect's scope.
   */
  ERROR = 'ERROR',
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

  /**
   * What to do when a product's own `ProvisionedProductProperties` declares an owner or launch role
   * other than this Aspect's (only the ones this Aspect declares are compared). Its own declaration
   * decides what is deployed either way. ENFORCE mode only.
   *
   * @default DeclarationOverride.WARN - a warning names both declarations
   */
  readonly overrides?: DeclarationOverride;
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
 * Precedence: a product's own declaration wins over every Aspect (with a warning where its owner
 * or launch role differs from the Aspect's, or an error with `overrides: DeclarationOverride.ERROR`);
 * among Aspects, the one applied
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
    validateEnforcementSettings({ ...props, mode: this.mode }, EnforceProvisionedProductProperties);
    Object.defineProperty(this, ENFORCEMENT_ASPECT, { value: true });
  }

  public visit(node: IConstruct): void {
    assertOneCopy(node, servicecatalog.CfnCloudFormationProvisionedProduct);
    if (!(node instanceof servicecatalog.CfnCloudFormationProvisionedProduct)) {
      return;
    }
    const governor = governorOf(node);
    const governs = governor.kind === 'none' || (governor.kind === 'one' && governor.aspect === this);
    if (declarationOf(node)) {
      if (governs && this.mode === EnforcementMode.ENFORCE) {
        this.checkOwnDeclaration(node, governor.kind === 'one' ? governor.scope : undefined);
      }
      return;
    }
    if (governor.kind === 'ambiguous') {
      if (governor.aspects[0] === this) {
        Annotations.of(node).addError(`Provisioned product ${constructName(node)} is governed by ${governor.aspects.length} `
          + `EnforceProvisionedProductProperties Aspects applied to the same scope, ${constructName(governor.scope)}, so which one `
          + 'declares it is not defined. Apply one per scope; a more specific scope (a stack) overrides a broader one (the app).');
      }
      return;
    }
    if (!governs) {
      return; // an Aspect applied nearer the product decides
    }
    if (this.mode === EnforcementMode.AUDIT) {
      Annotations.of(node).addError(`Provisioned product ${constructName(node)} declares no owner or launch role. Declare them with `
        + 'a ProvisionedProductProperties whose provisionedProductId is this product\'s attrProvisionedProductId, or apply '
        + 'EnforceProvisionedProductProperties in ENFORCE mode.');
      return;
    }
    const scope = node.node.scope!;
    const id = uniqueId(scope, `${node.node.id}Properties`);
    let declaration: ProvisionedProductProperties;
    try {
      declaration = new ProvisionedProductProperties(scope, id, {
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
      // The declaration's own message, without the path of the declaration that was never added; no
      // `cause`, which would print the same message again.
      const where = governor.kind === 'one' ? ` applied to ${constructName(governor.scope)}` : '';
      const message = error instanceof Error ? error.message : String(error);
      const prefix = `ProvisionedProductProperties at '${[scope.node.path, id].filter((p) => p !== '').join('/')}': `;
      throw validationError(`EnforceProvisionedProductProperties${where}, declaring provisioned product ${constructName(node)}: `
        + (message.startsWith(prefix) ? message.slice(prefix.length) : message), node);
    }
    recordDeclaration(declaration, { product: node }, 'EnforceProvisionedProductProperties');
  }

  /** A warning, or with `DeclarationOverride.ERROR` an error, where the product's own declaration differs from this Aspect's. */
  private checkOwnDeclaration(node: servicecatalog.CfnCloudFormationProvisionedProduct, appliedTo: IConstruct | undefined): void {
    const own = ownDeclarationOf(node);
    if (!own?.values) return;
    const differences = declarationDifferences(Stack.of(node),
      { owner: this.props.owner, launchRoleArn: this.props.launchRole?.roleArn }, own.values);
    if (differences.length === 0) return;
    const message = `Provisioned product ${constructName(node)} is declared by its own ProvisionedProductProperties `
      + `${constructName(own.declaration)}, which differs from the EnforceProvisionedProductProperties Aspect`
      + `${appliedTo ? ` applied to ${constructName(appliedTo)}` : ''}: ${differences.join('; ')}. The product's own declaration is what deploys.`;
    if (this.props.overrides === DeclarationOverride.ERROR) {
      Annotations.of(node).addError(`${message} The Aspect refuses this (overrides: DeclarationOverride.ERROR): give the product's `
        + 'declaration the Aspect\'s values, or remove it so that the Aspect declares the product.');
    } else {
      Annotations.of(node).addWarningV2(DECLARATION_OVERRIDE_WARNING, `${message} To refuse such declarations, set `
        + 'overrides: DeclarationOverride.ERROR on the Aspect; to accept this one, acknowledge the warning.');
    }
  }
}

/** The id of the warning, for `Annotations.of(product).acknowledgeWarning(...)`. */
const DECLARATION_OVERRIDE_WARNING = 'cdk-provisioned-product-properties:ownDeclarationDiffersFromAspect';

function uniqueId(scope: IConstruct, base: string): string {
  let id = base;
  for (let n = 2; scope.node.tryFindChild(id); n++) {
    id = `${base}${n}`;
  }
  return id;
}
