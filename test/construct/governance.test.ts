import { App, AspectPriority, Aspects, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { EnforceProvisionedProductProperties, EnforcementMode, ProvisionedProductProperties } from '../../lib';
import { deliver, ruleTargetInputs, scheduledEvent } from '../eventbridge-delivery';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/PlatformTeam`;
const HOURLY = events.Schedule.rate(Duration.hours(1));

function newStack(app = new App(), id = 'Stack') {
  return new Stack(app, id, { env: { account: ACCOUNT, region: 'us-east-1' } });
}

function product(scope: Construct, id: string, name?: string) {
  return new servicecatalog.CfnCloudFormationProvisionedProduct(scope, id, { productName: 'p', provisioningArtifactName: 'v1', provisionedProductName: name });
}

const declarations = (template: Template) => Object.values(template.findResources('Custom::ProvisionedProductProperties')) as any[];

describe('find the product by name', () => {
  test('writes ProvisionedProductName instead of the id', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'P', { provisionedProductName: 'team-app', owner: OWNER });
    const [resource] = declarations(Template.fromStack(stack));
    expect(resource.Properties.ProvisionedProductName).toBe('team-app');
    expect(resource.Properties).not.toHaveProperty('ProvisionedProductId');
  });

  test.each([
    ['both an id and a name', { provisionedProductId: 'pp-1', provisionedProductName: 'team-app' }, /Invalid provisionedProductId and provisionedProductName "pp-1": give exactly one of them/],
    ['neither', {}, /Invalid provisionedProductId and provisionedProductName \(not set\): give exactly one of them/],
    ['a bad name', { provisionedProductName: 'team app' }, /Invalid provisionedProductName "team app": expected a provisioned product name/],
  ])('refuses %s', (_title, target, message) => {
    expect(() => new ProvisionedProductProperties(newStack(), 'P', { ...target, owner: OWNER })).toThrow(message);
  });
});

test('restoreOnDelete writes RestoreOnDelete, and only when set', () => {
  const stack = newStack();
  new ProvisionedProductProperties(stack, 'A', { provisionedProductId: 'pp-1', owner: OWNER, restoreOnDelete: true });
  new ProvisionedProductProperties(stack, 'B', { provisionedProductId: 'pp-2', owner: OWNER, restoreOnDelete: false });
  const [a, b] = declarations(Template.fromStack(stack));
  expect(a.Properties.RestoreOnDelete).toBe('true');
  expect(b.Properties).not.toHaveProperty('RestoreOnDelete');
});

describe('drift correction', () => {
  test('one rule and one function per stack, whose input declares every opted-in instance, principals listed once', () => {
    const stack = newStack();
    const launch = iam.Role.fromRoleArn(stack, 'L', `arn:aws:iam::${ACCOUNT}:role/Launch`);
    new ProvisionedProductProperties(stack, 'A', { provisionedProductId: 'pp-a', owner: OWNER, launchRole: launch, driftCorrection: HOURLY });
    new ProvisionedProductProperties(stack, 'B', { provisionedProductName: 'team-b', owner: OWNER, driftCorrection: HOURLY });
    new ProvisionedProductProperties(stack, 'C', { provisionedProductId: 'pp-c', owner: OWNER });
    const template = Template.fromStack(stack);
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as any[];
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.ScheduleExpression).toBe('rate(1 hour)');
    expect(rules[0].Properties.Targets).toHaveLength(1);
    // The event's id and time reach the function through the input transformer, not a constant Input.
    expect(rules[0].Properties.Targets[0]).not.toHaveProperty('Input');
    expect(rules[0].Properties.Targets[0].InputTransformer.InputPathsMap).toEqual({ id: '$.id', time: '$.time' });
    const event = scheduledEvent({ id: '7bf73129-1428-4cd3-a780-95db273d1602', time: '2026-05-01T12:00:00Z' });
    expect(deliver(ruleTargetInputs(template)[0], event)).toEqual({
      kind: 'ProvisionedProductPropertiesDriftCorrection',
      stackName: 'Stack',
      id: '7bf73129-1428-4cd3-a780-95db273d1602',
      time: '2026-05-01T12:00:00Z',
      owners: [OWNER],
      launchRoles: [`arn:aws:iam::${ACCOUNT}:role/Launch`],
      products: [['pp-a', 0, 0, 0, ''], ['team-b', 1, 0, -1, '']],
    });
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.correctDrift' }, 1);
  });

  test('no schedule, no rule', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'A', { provisionedProductId: 'pp-a', owner: OWNER });
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 0);
  });

  test('many declarations are paged across the rule\'s targets, each input under 8,192 characters', () => {
    const stack = newStack();
    for (let i = 0; i < 400; i++) {
      new ProvisionedProductProperties(stack, `P${i}`, { provisionedProductId: `pp-${String(i).padStart(13, '0')}`, owner: OWNER, driftCorrection: HOURLY });
    }
    const inputs = ruleTargetInputs(Template.fromStack(stack));
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.length).toBeLessThanOrEqual(5);
    const products = inputs.flatMap((input) => {
      expect(input.inputTemplate.length).toBeLessThan(8192);
      return deliver(input, scheduledEvent()).products as string[][];
    }).map((p) => p[0]);
    expect(products).toHaveLength(400);
  });

  test('more declarations than 5 targets hold fail at synth with the bound', () => {
    const stack = newStack();
    expect(() => {
      for (let i = 0; i < 2000; i++) {
        new ProvisionedProductProperties(stack, `P${i}`, { provisionedProductName: `a-rather-long-product-name-${i}`, owner: OWNER, driftCorrection: HOURLY });
      }
    }).toThrow(/drift-correction schedule of stack Stack holds at most 5 EventBridge targets of 8000 characters/);
  });

  test('a second, different schedule in the same stack is refused', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'A', { provisionedProductId: 'pp-a', owner: OWNER, driftCorrection: HOURLY });
    expect(() => new ProvisionedProductProperties(stack, 'B', { provisionedProductId: 'pp-b', owner: OWNER, driftCorrection: events.Schedule.rate(Duration.days(1)) }))
      .toThrow(/has one drift-correction schedule, rate\(1 hour\), and another declaration asks for rate\(1 day\)/);
  });
});

describe('EnforceProvisionedProductProperties', () => {
  function appWithProducts() {
    const app = new App();
    const stack = newStack(app);
    const declared = product(stack, 'Declared');
    product(stack, 'Undeclared');
    const team = new Construct(stack, 'Team');
    product(team, 'Nested');
    product(stack, 'ByName', 'named-product');
    new ProvisionedProductProperties(stack, 'DeclaredOwnership', { provisionedProductId: declared.attrProvisionedProductId, owner: `arn:aws:iam::${ACCOUNT}:user/own` });
    new ProvisionedProductProperties(stack, 'NamedOwnership', { provisionedProductName: 'named-product', owner: `arn:aws:iam::${ACCOUNT}:user/own` });
    return { app, stack };
  }

  test('ENFORCE declares the defaults for undeclared products only; a product\'s own declaration wins', () => {
    const { app, stack } = appWithProducts();
    Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: OWNER }), { priority: AspectPriority.MUTATING });
    const template = Template.fromStack(stack);
    const all = declarations(template);
    expect(all).toHaveLength(4);
    const enforced = all.filter((d) => d.Properties.Owner === OWNER).map((d) => d.Properties.ProvisionedProductId['Fn::GetAtt'][0]);
    expect(enforced.sort()).toEqual([expect.stringMatching(/^TeamNested[0-9A-F]{8}$/), 'Undeclared']);
    expect(template.toJSON().Resources.Declared.Metadata['cdk-provisioned-product-properties'])
      .toEqual({ declaredBy: 'Stack/DeclaredOwnership', source: 'own declaration' });
    expect(template.toJSON().Resources.Undeclared.Metadata['cdk-provisioned-product-properties'])
      .toEqual({ declaredBy: 'Stack/UndeclaredProperties', source: 'EnforceProvisionedProductProperties' });
  });

  test('applied twice, and to a nested scope, it adds nothing twice', () => {
    const { app, stack } = appWithProducts();
    Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: OWNER }));
    Aspects.of(stack).add(new EnforceProvisionedProductProperties({ owner: OWNER }));
    Aspects.of(stack.node.findChild('Team')).add(new EnforceProvisionedProductProperties({ owner: `arn:aws:iam::${ACCOUNT}:user/other` }));
    expect(declarations(Template.fromStack(stack))).toHaveLength(4);
  });

  test('AUDIT adds nothing and reports an error naming each undeclared product', () => {
    const { app, stack } = appWithProducts();
    Aspects.of(app).add(new EnforceProvisionedProductProperties({ mode: EnforcementMode.AUDIT }));
    const template = Template.fromStack(stack);
    expect(declarations(template)).toHaveLength(2);
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('declares no owner or launch role'));
    expect(errors.map((e) => e.id).sort()).toEqual(['/Stack/Team/Nested', '/Stack/Undeclared']);
    expect(errors[0].entry.data).toMatch(/^Provisioned product 'Stack\/(Team\/Nested|Undeclared)' declares no owner or launch role/);
  });

  test('ENFORCE needs something to declare', () => {
    expect(() => new EnforceProvisionedProductProperties({})).toThrow(/Invalid owner and launchRole \(not set\)/);
  });
});
