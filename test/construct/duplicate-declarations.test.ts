/**
 * Two declarations of one product are refused at synth, naming both construct paths and the
 * product; what synth cannot see (stacks whose account or region is not known) is let through.
 */
import { App, Aspects, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { EnforceProvisionedProductProperties, ProvisionedProductProperties } from '../../lib';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/PlatformTeam`;
const OTHER = `arn:aws:iam::${ACCOUNT}:role/OtherTeam`;
const US = { env: { account: ACCOUNT, region: 'us-east-1' } };

const stackIn = (app: App, id: string, props: StackProps = US) => new Stack(app, id, props);
const product = (scope: Construct, id: string, name?: string) => new servicecatalog.CfnCloudFormationProvisionedProduct(scope, id, {
  productName: 'p', provisioningArtifactName: 'v1', provisionedProductName: name,
});
const declarations = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('Custom::ProvisionedProductProperties')) as any[];

describe('refused at synth, with both paths and the product', () => {
  test('the same attrProvisionedProductId twice', () => {
    const stack = stackIn(new App(), 'Stack');
    const app = product(stack, 'App');
    new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: app.attrProvisionedProductId, owner: OWNER });
    expect(() => new ProvisionedProductProperties(stack, 'LaunchRole', { provisionedProductId: app.attrProvisionedProductId, owner: OTHER }))
      .toThrow("ProvisionedProductProperties at 'Stack/LaunchRole': the provisioned product of 'Stack/App' is already declared by "
        + "'Stack/Ownership', and again by 'Stack/LaunchRole'. Both declarations would apply at every deploy, in no set order");
  });

  test('the same literal id twice, also from two stacks of one account and region', () => {
    const app = new App();
    const first = stackIn(app, 'First');
    new ProvisionedProductProperties(first, 'A', { provisionedProductId: 'pp-abc123def4567', owner: OWNER });
    expect(() => new ProvisionedProductProperties(first, 'B', { provisionedProductId: 'pp-abc123def4567', owner: OTHER }))
      .toThrow(/provisioned product pp-abc123def4567 is already declared by 'First\/A', and again by 'First\/B'/);
    expect(() => new ProvisionedProductProperties(stackIn(app, 'Second'), 'C', { provisionedProductId: 'pp-abc123def4567', owner: OTHER }))
      .toThrow(/provisioned product pp-abc123def4567 is already declared by 'First\/A', and again by 'Second\/C'/);
  });

  test('once by the product\'s id and once by its literal name, in either order', () => {
    const byIdFirst = stackIn(new App(), 'Stack');
    const p1 = product(byIdFirst, 'App', 'team-app');
    new ProvisionedProductProperties(byIdFirst, 'ById', { provisionedProductId: p1.attrProvisionedProductId, owner: OWNER });
    expect(() => new ProvisionedProductProperties(byIdFirst, 'ByName', { provisionedProductName: 'team-app', owner: OTHER }))
      .toThrow(/the provisioned product named team-app \(the provisionedProductName of 'Stack\/App'\) is already declared by 'Stack\/ById', and again by 'Stack\/ByName'/);

    const byNameFirst = stackIn(new App(), 'Stack');
    const p2 = product(byNameFirst, 'App', 'team-app');
    new ProvisionedProductProperties(byNameFirst, 'ByName', { provisionedProductName: 'team-app', owner: OWNER });
    expect(() => new ProvisionedProductProperties(byNameFirst, 'ById', { provisionedProductId: p2.attrProvisionedProductId, owner: OTHER }))
      .toThrow(/the provisioned product named team-app \(the provisionedProductName of 'Stack\/App'\) is already declared by 'Stack\/ByName', and again by 'Stack\/ById'/);
  });

  test('a name given to the product after its declarations fails the synth', () => {
    const stack = stackIn(new App(), 'Stack');
    const app = product(stack, 'App');
    new ProvisionedProductProperties(stack, 'ById', { provisionedProductId: app.attrProvisionedProductId, owner: OWNER });
    new ProvisionedProductProperties(stack, 'ByName', { provisionedProductName: 'team-app', owner: OTHER });
    app.provisionedProductName = 'team-app';
    expect(() => Template.fromStack(stack)).toThrow(/the provisioned product named team-app \(the provisionedProductName of 'Stack\/App'\) is already declared by 'Stack\/ById', and again by 'Stack\/ByName'/);
  });
});

describe('not a conflict', () => {
  test('one name in two regions names two products', () => {
    const app = new App();
    const us = stackIn(app, 'Us');
    const eu = stackIn(app, 'Eu', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new ProvisionedProductProperties(us, 'A', { provisionedProductName: 'team-app', owner: OWNER });
    new ProvisionedProductProperties(eu, 'A', { provisionedProductName: 'team-app', owner: OTHER });
    expect([...declarations(us), ...declarations(eu)].map((d) => d.Properties.Owner)).toEqual([OWNER, OTHER]);
  });

  test('stacks whose account and region synth does not know: the README says this is not seen', () => {
    const app = new App();
    const a = stackIn(app, 'A', {});
    const b = stackIn(app, 'B', {});
    new ProvisionedProductProperties(a, 'P', { provisionedProductName: 'team-app', owner: OWNER });
    new ProvisionedProductProperties(b, 'P', { provisionedProductName: 'team-app', owner: OTHER });
    expect([...declarations(a), ...declarations(b)]).toHaveLength(2);
  });

  test('the Aspect\'s own declarations, with the Aspect on the app and on the stack', () => {
    const app = new App();
    const stack = stackIn(app, 'Stack');
    const declared = product(stack, 'Declared', 'declared-app');
    product(stack, 'Undeclared', 'undeclared-app');
    product(stack, 'ByName', 'named-app');
    new ProvisionedProductProperties(stack, 'Own', { provisionedProductId: declared.attrProvisionedProductId, owner: OTHER });
    new ProvisionedProductProperties(stack, 'Named', { provisionedProductName: 'named-app', owner: OTHER });
    Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: OWNER }));
    Aspects.of(stack).add(new EnforceProvisionedProductProperties({ owner: OWNER }));
    const owners = declarations(stack).map((d) => [d.Properties.ProvisionedProductId?.['Fn::GetAtt']?.[0] ?? d.Properties.ProvisionedProductName, d.Properties.Owner]);
    expect(owners.sort()).toEqual([['Declared', OTHER], ['Undeclared', OWNER], ['named-app', OTHER]]);
  });
});

describe('two copies of the library in one app', () => {
  /** A second copy of lib/, as a second package depending on this library would load, sharing aws-cdk-lib. */
  function secondCopy(): typeof import('../../lib') {
    const shared = ['aws-cdk-lib', 'constructs', ...['aws-events', 'aws-events-targets', 'aws-iam', 'aws-lambda', 'aws-logs',
      'aws-servicecatalog', 'custom-resources'].map((m) => `aws-cdk-lib/${m}`)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = Object.fromEntries(shared.map((m) => [m, require(m)]));
    let copy: typeof import('../../lib') | undefined;
    jest.isolateModules(() => {
      for (const m of shared) jest.doMock(m, () => loaded[m]);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      copy = require('../../lib');
    });
    return copy!;
  }

  test('see each other\'s declarations: a duplicate is refused, and the other copy\'s Aspect adds nothing', () => {
    const other = secondCopy();
    expect(other.ProvisionedProductProperties).not.toBe(ProvisionedProductProperties);
    const stack = stackIn(new App(), 'Stack');
    const declared = product(stack, 'Declared');
    new ProvisionedProductProperties(stack, 'Own', { provisionedProductId: declared.attrProvisionedProductId, owner: OTHER });
    expect(() => new other.ProvisionedProductProperties(stack, 'Again', { provisionedProductId: declared.attrProvisionedProductId, owner: OWNER }))
      .toThrow(/the provisioned product of 'Stack\/Declared' is already declared by 'Stack\/Own', and again by 'Stack\/Again'/);

    const app = new App();
    const governed = stackIn(app, 'Governed');
    const p = product(governed, 'Declared');
    product(governed, 'Undeclared');
    new ProvisionedProductProperties(governed, 'Own', { provisionedProductId: p.attrProvisionedProductId, owner: OTHER });
    Aspects.of(app).add(new other.EnforceProvisionedProductProperties({ owner: OWNER }));
    const owners = declarations(governed).map((d) => [d.Properties.ProvisionedProductId['Fn::GetAtt'][0], d.Properties.Owner]);
    expect(owners.sort()).toEqual([['Declared', OTHER], ['Undeclared', OWNER]]);
  });
});
