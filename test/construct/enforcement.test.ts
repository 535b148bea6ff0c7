/**
 * EnforceProvisionedProductProperties: its props are checked when it is created, it passes
 * restoreOnDelete and driftCorrection on, and the Aspect nearest a product decides, whatever the
 * priorities and the order the Aspects were added in.
 */
import { App, AspectPriority, Aspects, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { EnforceProvisionedProductProperties, EnforcementMode, ProvisionedProductProperties } from '../../lib';

const ACCOUNT = '123456789012';
const APP_OWNER = `arn:aws:iam::${ACCOUNT}:role/AppDefault`;
const STACK_OWNER = `arn:aws:iam::${ACCOUNT}:role/StackDefault`;
const OWN_OWNER = `arn:aws:iam::${ACCOUNT}:user/own`;
const env = { account: ACCOUNT, region: 'us-east-1' };

const product = (scope: Construct, id: string) => new servicecatalog.CfnCloudFormationProvisionedProduct(scope, id, { productName: 'p', provisioningArtifactName: 'v1' });

/** The declared owner of each product of the stack, by the product's logical id. */
function ownersOf(stack: Stack): Record<string, string> {
  const resources = Template.fromStack(stack).findResources('Custom::ProvisionedProductProperties');
  return Object.fromEntries(Object.values(resources).map((r: any) => [r.Properties.ProvisionedProductId['Fn::GetAtt'][0], r.Properties.Owner]));
}

describe('props are checked when the Aspect is created, and the error names it', () => {
  test.each([
    ['an owner that is no principal ARN', { owner: 'bob' }, 'EnforceProvisionedProductProperties: Invalid owner "bob": expected an IAM user, IAM role or STS assumed-role ARN'],
    ['a timeout over an hour', { owner: APP_OWNER, timeout: Duration.hours(2) }, 'EnforceProvisionedProductProperties: Invalid timeout "2 hours": expected whole seconds from 1 to 3600'],
    ['a launch role that is a user', { launchRole: iam.Role.fromRoleArn(new Stack(), 'R', `arn:aws:iam::${ACCOUNT}:user/alice`) },
      'EnforceProvisionedProductProperties: Invalid launchRole "arn:aws:iam::123456789012:user/alice": expected an IAM role ARN'],
    ['an unknown language', { owner: APP_OWNER, acceptLanguage: 'fr' as never }, 'EnforceProvisionedProductProperties: Invalid acceptLanguage "fr": expected one of "en", "jp", "zh".'],
    ['an unknown mode', { mode: 'STRICT' as never, owner: APP_OWNER }, 'EnforceProvisionedProductProperties: Invalid mode "STRICT": expected EnforcementMode.ENFORCE or EnforcementMode.AUDIT.'],
  ])('%s', (_title, props, message) => {
    expect(() => new EnforceProvisionedProductProperties(props)).toThrow(message);
  });

  test('AUDIT refuses what it would ignore, naming the props', () => {
    expect(() => new EnforceProvisionedProductProperties({ mode: EnforcementMode.AUDIT, owner: APP_OWNER }))
      .toThrow(`EnforceProvisionedProductProperties: Invalid owner "${APP_OWNER}": EnforcementMode.AUDIT declares nothing, so it would be ignored.`);
    expect(() => new EnforceProvisionedProductProperties({ mode: EnforcementMode.AUDIT, restoreOnDelete: true, driftCorrection: events.Schedule.rate(Duration.hours(1)) }))
      .toThrow('Invalid restoreOnDelete and driftCorrection true: EnforcementMode.AUDIT declares nothing');
  });

  test('what needs the stack is checked on the declaration it adds, and the error names the Aspect and the product', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    product(stack, 'Undeclared');
    Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: 'arn:aws:iam::999999999999:role/Elsewhere' }));
    expect(() => Template.fromStack(stack)).toThrow("EnforceProvisionedProductProperties applied to the app, declaring provisioned product "
      + "'Stack/Undeclared': Invalid owner \"arn:aws:iam::999999999999:role/Elsewhere\": "
      + 'the principal is in account 999999999999, but the stack deploys to account 123456789012');
  });
});

test('restoreOnDelete and driftCorrection reach the declarations the Aspect adds', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  product(stack, 'Undeclared');
  Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: APP_OWNER, restoreOnDelete: true, driftCorrection: events.Schedule.rate(Duration.hours(6)) }));
  const template = Template.fromStack(stack);
  template.hasResourceProperties('Custom::ProvisionedProductProperties', {
    ProvisionedProductId: { 'Fn::GetAtt': ['Undeclared', 'ProvisionedProductId'] }, Owner: APP_OWNER, RestoreOnDelete: 'true',
  });
  const [rule] = Object.values(template.findResources('AWS::Events::Rule')) as any[];
  expect(rule.Properties.ScheduleExpression).toBe('rate(6 hours)');
  expect(JSON.stringify(rule.Properties.Targets[0])).toContain('{"Fn::GetAtt":["Undeclared","ProvisionedProductId"]}');
});

describe('precedence: own declaration, then the Aspect of the nearest scope', () => {
  /** Two stacks: Governed has its own Aspect, Plain only the app's; Governed also has a product that declares itself. */
  function build(order: 'app first' | 'stack first', priorities: { app?: number; stack?: number }) {
    const app = new App();
    const governed = new Stack(app, 'Governed', { env });
    const plain = new Stack(app, 'Plain', { env });
    product(governed, 'Undeclared');
    const own = product(governed, 'Declared');
    new ProvisionedProductProperties(governed, 'Own', { provisionedProductId: own.attrProvisionedProductId, owner: OWN_OWNER });
    product(plain, 'Undeclared');
    const addApp = () => Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: APP_OWNER }), { priority: priorities.app });
    const addStack = () => Aspects.of(governed).add(new EnforceProvisionedProductProperties({ owner: STACK_OWNER }), { priority: priorities.stack });
    if (order === 'app first') { addApp(); addStack(); } else { addStack(); addApp(); }
    return { governed, plain };
  }

  test.each([
    ['app first', {}], ['stack first', {}],
    ['app first', { app: AspectPriority.MUTATING }], ['stack first', { app: AspectPriority.MUTATING }],
    ['app first', { stack: AspectPriority.MUTATING }], ['stack first', { stack: AspectPriority.READONLY, app: AspectPriority.MUTATING }],
  ] as const)('added %s with priorities %j: the stack\'s owner in its stack, the app\'s elsewhere, the own declaration untouched', (order, priorities) => {
    const { governed, plain } = build(order, priorities);
    expect(ownersOf(governed)).toEqual({ Undeclared: STACK_OWNER, Declared: OWN_OWNER });
    expect(ownersOf(plain)).toEqual({ Undeclared: APP_OWNER });
    expect(Template.fromStack(governed).toJSON().Resources.Undeclared.Metadata['cdk-provisioned-product-properties'])
      .toEqual({ declaredBy: 'Governed/UndeclaredProperties', source: 'EnforceProvisionedProductProperties' });
  });

  test('AUDIT on a stack overrides ENFORCE on the app there, and ENFORCE on a stack overrides AUDIT on the app', () => {
    const app = new App();
    const audited = new Stack(app, 'Audited', { env });
    product(audited, 'Undeclared');
    Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: APP_OWNER }));
    Aspects.of(audited).add(new EnforceProvisionedProductProperties({ mode: EnforcementMode.AUDIT }));
    expect(ownersOf(audited)).toEqual({});
    expect(Annotations.fromStack(audited).findError('/Audited/Undeclared', Match.stringLikeRegexp('declares no owner or launch role'))).toHaveLength(1);

    const auditedApp = new App();
    const enforced = new Stack(auditedApp, 'Enforced', { env });
    product(enforced, 'Undeclared');
    Aspects.of(auditedApp).add(new EnforceProvisionedProductProperties({ mode: EnforcementMode.AUDIT }));
    Aspects.of(enforced).add(new EnforceProvisionedProductProperties({ owner: STACK_OWNER }));
    expect(ownersOf(enforced)).toEqual({ Undeclared: STACK_OWNER });
    expect(Annotations.fromStack(enforced).findError('*', Match.anyValue())).toEqual([]);
  });

  test('an Aspect on a construct inside the stack is nearer still', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    const team = new Construct(stack, 'Team');
    product(team, 'Nested');
    product(stack, 'Top');
    const teamOwner = `arn:aws:iam::${ACCOUNT}:role/Team`;
    Aspects.of(team).add(new EnforceProvisionedProductProperties({ owner: teamOwner }));
    Aspects.of(stack).add(new EnforceProvisionedProductProperties({ owner: STACK_OWNER }));
    const owners = ownersOf(stack);
    expect(Object.entries(owners).sort()).toEqual([[expect.stringMatching(/^TeamNested/), teamOwner], ['Top', STACK_OWNER]]);
  });

  test('two Aspects on one scope are an error on each product they would govern, reported once', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    product(stack, 'Undeclared');
    Aspects.of(stack).add(new EnforceProvisionedProductProperties({ owner: APP_OWNER }));
    Aspects.of(stack).add(new EnforceProvisionedProductProperties({ owner: STACK_OWNER }));
    expect(ownersOf(stack)).toEqual({});
    const errors = Annotations.fromStack(stack).findError('/Stack/Undeclared', Match.stringLikeRegexp('2 EnforceProvisionedProductProperties Aspects applied to the same scope, \'Stack\''));
    expect(errors).toHaveLength(1);
  });
});
