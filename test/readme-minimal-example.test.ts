/**
 * The README's minimal example (the block after `<!-- minimal-example -->`) runs as written: it is
 * transpiled and run as a program, `cdk-provisioned-product-properties` resolving to the library,
 * and the stack it builds synthesizes with one declaration that names the product and the launch
 * role the example creates.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import * as library from '../lib';

const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const MARKER = '<!-- minimal-example -->';

function minimalExample(): string {
  const match = new RegExp(`${MARKER}\\n\`\`\`ts(?: nofixture)?\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no TypeScript block right after ${MARKER}`);
  return match[1];
}

/** Runs the example as a CommonJS program; returns the apps it created, each writing to outdir. */
function runExample(source: string, outdir: string): cdk.App[] {
  const apps: cdk.App[] = [];
  class RecordedApp extends cdk.App {
    constructor(props?: cdk.AppProps) {
      super({ ...props, outdir });
      apps.push(this);
    }
  }
  // The example's own `new App()` writes into the test's directory; everything else is aws-cdk-lib itself.
  const cdkForExample = new Proxy(cdk, { get: (target, key) => (key === 'App' ? RecordedApp : Reflect.get(target, key)) });
  const exampleRequire = (id: string): unknown => {
    if (id === 'cdk-provisioned-product-properties') return library;
    if (id === 'aws-cdk-lib') return cdkForExample;
    // jest's require, so that the example shares the test's one copy of aws-cdk-lib.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id);
  };
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} };
  new Function('require', 'module', 'exports', outputText)(exampleRequire, module, module.exports);
  return apps;
}

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(path.join(os.tmpdir(), 'readme-minimal-example-'));
});
afterEach(() => {
  rmSync(outdir, { recursive: true, force: true });
});

test('the README marks its minimal example, a complete program', () => {
  const source = minimalExample();
  expect(source).toContain('new App()');
  expect(source).not.toMatch(/declare const/);
});

test('the minimal example synthesizes one declaration of the product it provisions, with its launch role', () => {
  const apps = runExample(minimalExample(), outdir);
  expect(apps).toHaveLength(1);
  const stacks = apps[0].node.children.filter(cdk.Stack.isStack);
  expect(stacks).toHaveLength(1);
  const template = Template.fromStack(stacks[0]);

  const products = Object.keys(template.findResources('AWS::ServiceCatalog::CloudFormationProvisionedProduct'));
  const serviceCatalogRoles = Object.keys(template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'servicecatalog.amazonaws.com' } })]) } },
  }));
  expect(products).toHaveLength(1);
  expect(serviceCatalogRoles).toHaveLength(1);

  template.resourceCountIs('Custom::ProvisionedProductProperties', 1);
  template.hasResourceProperties('Custom::ProvisionedProductProperties', {
    ProvisionedProductId: { 'Fn::GetAtt': [products[0], 'ProvisionedProductId'] },
    LaunchRoleArn: { 'Fn::GetAtt': [serviceCatalogRoles[0], 'Arn'] },
    Owner: Match.anyValue(),
  });
  // The owner is the PlatformTeam role of the stack's own account and partition.
  const [declaration] = Object.values(template.findResources('Custom::ProvisionedProductProperties'));
  expect(JSON.stringify(declaration.Properties.Owner)).toContain(':role/PlatformTeam');
});

test('the README\'s count of the provider\'s resources holds for the minimal example\'s stack', () => {
  const quoted = /^\| the provider, once per stack:.*\| (\d+) \|$/m.exec(readme);
  expect(quoted).not.toBeNull();
  const [stack] = runExample(minimalExample(), outdir)[0].node.children.filter(cdk.Stack.isStack);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  const byType = (type: string) => Object.values(resources).filter((resource) => resource.Type === type).length;
  // The example's own resources (the product, the launch role and its policy), one declaration,
  // and one iam:PassRole managed policy for its one launch role; the rest is the provider.
  const examplesOwn = byType('AWS::ServiceCatalog::CloudFormationProvisionedProduct') + 2;
  expect(byType('Custom::ProvisionedProductProperties')).toBe(1);
  expect(byType('AWS::IAM::ManagedPolicy')).toBe(1);
  expect(Object.keys(resources).length - examplesOwn - 2).toBe(Number(quoted![1]));
});
