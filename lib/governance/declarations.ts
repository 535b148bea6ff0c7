import { Stack, Token } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { IConstruct } from 'constructs';
import { constructName, validationError } from '../construct-errors';

/** The template Metadata key that says which construct declares a product's properties. */
export const DECLARATION_METADATA_KEY = 'cdk-provisioned-product-properties';

/** Where a product's declaration comes from, as written to the product's template Metadata. */
export type DeclarationSource = 'own declaration' | 'EnforceProvisionedProductProperties';

/**
 * The registry is held by the construct tree: a property of its root construct under a global
 * symbol, not a variable of this module, so it lives and goes with the app, and two copies of this
 * library in one app (two packages that each depend on it) see each other's declarations. Not a
 * child construct of the root: that would show in every app's construct tree (tree.json, `cdk
 * tree`, the children of an App or of a root Stack) and hold nothing more. Bump the version when
 * the shape of `Registry` changes.
 */
const REGISTRY = Symbol.for('cdk-provisioned-product-properties.declarations.v1');

type Product = servicecatalog.CfnCloudFormationProvisionedProduct;

/** One declaration and the product it names, as far as synth can know it. */
interface Entry {
  readonly declaration: IConstruct;
  readonly stack: Stack;
  /** The product construct, when the id is its `attrProvisionedProductId`. */
  readonly product?: Product;
  /** A literal provisioned product id. */
  readonly id?: string;
  /** A literal provisioned product name. */
  readonly name?: string;
  source: DeclarationSource;
  /** The declared owner and launch role ARN; absent in an entry recorded by an older copy of this library. */
  readonly values?: DeclaredPrincipals;
}

/** The owner and launch role ARN a declaration gives (either may be a token). */
export interface DeclaredPrincipals {
  readonly owner?: string;
  readonly launchRoleArn?: string;
}

interface Registry {
  readonly entries: Entry[];
  readonly byDeclaration: Map<IConstruct, Entry>;
  readonly byProduct: Map<IConstruct, Entry>;
  readonly byId: Map<string, Entry[]>;
  readonly byName: Map<string, Entry[]>;
}

/** A declaration of the same product, and how the product is known to both. */
interface Conflict {
  readonly other: Entry;
  readonly product: string;
}

/**
 * Records that `declaration` manages a product, known by its construct (when its id was the
 * product's `attrProvisionedProductId`), by a literal id, or by a literal name, so that the Aspect
 * can tell which products of the app are declared. The product's template Metadata names the
 * declaration.
 *
 * Throws when another declaration of the app already names the same product: two declarations of
 * one product would both apply at every deploy, in no set order. The check runs again at synth,
 * for a product whose `provisionedProductName` was set after its declaration.
 */
export function recordDeclaration(declaration: IConstruct,
  target: { product?: Product; id?: string; name?: string; values?: DeclaredPrincipals },
  source: DeclarationSource = 'own declaration'): void {
  const registry = registryOf(declaration);
  const known = registry.byDeclaration.get(declaration);
  if (known) {
    // The Aspect records the declaration it added once more, to say so in the product's Metadata.
    known.source = source;
    known.product?.addMetadata(DECLARATION_METADATA_KEY, { declaredBy: declaration.node.path, source });
    return;
  }
  const entry: Entry = {
    declaration, stack: Stack.of(declaration), product: target.product,
    id: literal(target.id), name: literal(target.name), source, values: target.values,
  };
  const conflict = conflictsOf(registry, entry, registry.entries)[0];
  if (conflict) {
    throw validationError(`ProvisionedProductProperties at ${constructName(declaration)}: ${conflictMessage(entry, conflict)}`,
      declaration);
  }
  register(registry, entry);
  entry.product?.addMetadata(DECLARATION_METADATA_KEY, { declaredBy: declaration.node.path, source });
  declaration.node.addValidation({
    validate: () => {
      const earlier = registry.entries.slice(0, registry.entries.indexOf(entry));
      return conflictsOf(registry, entry, earlier).map((c) => conflictMessage(entry, c));
    },
  });
}

/**
 * The construct that declares this product's properties, if any: a declaration of the product
 * construct, or of its literal name in a stack that may deploy to the product's account and region.
 */
export function declarationOf(product: Product): IConstruct | undefined {
  return entryOf(product)?.declaration;
}

/** The product's own declaration (not one an Aspect added) and what it declares, if any. */
export function ownDeclarationOf(product: Product): { readonly declaration: IConstruct; readonly values?: DeclaredPrincipals } | undefined {
  const entry = entryOf(product);
  return entry?.source === 'own declaration' ? entry : undefined;
}

function entryOf(product: Product): Entry | undefined {
  const registry = registryOf(product);
  const name = literal(product.provisionedProductName);
  const byName = name === undefined ? undefined
    : registry.byName.get(name)?.find((e) => environmentMatch(e.stack, Stack.of(product)) !== 'different');
  return registry.byProduct.get(product) ?? byName;
}

function registryOf(scope: IConstruct): Registry {
  const root = scope.node.root as IConstruct & { [REGISTRY]?: Registry };
  root[REGISTRY] ??= { entries: [], byDeclaration: new Map(), byProduct: new Map(), byId: new Map(), byName: new Map() };
  return root[REGISTRY];
}

function register(registry: Registry, entry: Entry): void {
  const push = (map: Map<string, Entry[]>, key: string) => map.set(key, [...(map.get(key) ?? []), entry]);
  registry.entries.push(entry);
  registry.byDeclaration.set(entry.declaration, entry);
  if (entry.product) registry.byProduct.set(entry.product, entry);
  if (entry.id !== undefined) push(registry.byId, entry.id);
  if (entry.name !== undefined) push(registry.byName, entry.name);
}

/**
 * The declarations among `candidates` that certainly name the same product as `entry`: the same
 * product construct; the same literal id or name in one account and region; or a name that is the
 * literal `provisionedProductName` of the other's product construct, in its account and region.
 */
function conflictsOf(registry: Registry, entry: Entry, candidates: readonly Entry[]): Conflict[] {
  const among = new Set(candidates);
  const found = new Map<Entry, Conflict>();
  /** `ownStack` and `otherStack`: where each side's product is looked up; undefined when it is one construct. */
  const check = (other: Entry | undefined, ownStack: Stack, otherStack: Stack | undefined, product: string) => {
    if (other && other !== entry && among.has(other) && !found.has(other)
      && (otherStack === undefined || environmentMatch(ownStack, otherStack) === 'same')) {
      found.set(other, { other, product });
    }
  };
  if (entry.product) {
    const path = entry.product.node.path;
    check(registry.byProduct.get(entry.product), entry.stack, undefined, `the provisioned product of '${path}'`);
    const name = literal(entry.product.provisionedProductName);
    for (const other of name === undefined ? [] : registry.byName.get(name) ?? []) {
      check(other, Stack.of(entry.product), other.stack, `the provisioned product named ${name} (the provisionedProductName of '${path}')`);
    }
  }
  for (const other of entry.id === undefined ? [] : registry.byId.get(entry.id) ?? []) {
    check(other, entry.stack, other.stack, `provisioned product ${entry.id}`);
  }
  if (entry.name !== undefined) {
    for (const other of registry.byName.get(entry.name) ?? []) {
      check(other, entry.stack, other.stack, `the provisioned product named ${entry.name}`);
    }
    for (const other of candidates) {
      if (other.product && literal(other.product.provisionedProductName) === entry.name) {
        check(other, entry.stack, Stack.of(other.product),
          `the provisioned product named ${entry.name} (the provisionedProductName of '${other.product.node.path}')`);
      }
    }
  }
  return [...found.values()];
}

function conflictMessage(entry: Entry, { other, product }: Conflict): string {
  const by = other.source === 'own declaration' ? '' : ` (added by ${other.source})`;
  return `${product} is already declared by ${constructName(other.declaration)}${by}, and again by ${constructName(entry.declaration)}. `
    + 'Both declarations would apply at every deploy, in no set order, so the product would end with whichever '
    + 'wrote last, and drift correction would flip it between them. Keep one declaration of the product, '
    + 'and give it the owner and the launch role together.';
}

/**
 * Whether two stacks deploy to one account and region: `same` only when that is certain (the
 * same stack, or literal account and region equal), `different` when a literal part differs.
 */
function environmentMatch(a: Stack, b: Stack): 'same' | 'maybe' | 'different' {
  if (a === b) return 'same';
  let certain = true;
  for (const part of ['account', 'region'] as const) {
    const [x, y] = [a[part], b[part]];
    if (Token.isUnresolved(x) || Token.isUnresolved(y)) certain = false;
    else if (x !== y) return 'different';
  }
  return certain ? 'same' : 'maybe';
}

function literal(value: string | undefined): string | undefined {
  return value !== undefined && !Token.isUnresolved(value) ? value : undefined;
}
