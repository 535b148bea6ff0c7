import { createHash } from 'crypto';
import { Aws, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ESTIMATED_TOKEN_ARN_LENGTH, listedLength } from '../deploy-time-estimates';
import { HandlerFunctions } from '../provider/handler-functions';
import { Declaration } from '../shared/declaration';
import { DriftMode } from '../shared/drift-mode';
import {
  DRIFT_EVENT_ID_KEY, DRIFT_EVENT_KIND, DRIFT_EVENT_MODE_KEY, DRIFT_EVENT_TIME_KEY, DRIFT_RULE_NAME_ENV, DRIFT_STACK_ID_ENV, DriftCorrectionEvent, addDriftEntry,
} from '../shared/drift-payload';

/**
 * EventBridge caps a target's input template at 8,192 characters. The budget is the room for the
 * template, envelope included; the rest absorbs the estimates of values known only at deploy time.
 */
export const MAX_TARGET_INPUT_CHARACTERS = 8_000;
/** EventBridge allows 5 targets per rule. */
export const MAX_TARGETS_PER_RULE = 5;
/** Estimates for values only known at deploy time: a `pp-` id (an ARN's is in lib/deploy-time-estimates.ts). */
const ESTIMATED_TOKEN_ID_LENGTH = 20;
/** A stack name is at most 128 characters. */
const ESTIMATED_TOKEN_STACK_NAME_LENGTH = 128;

/** The schedule, and the provider's factory of its functions, which makes the schedule's. */
export interface DriftCorrectionScheduleProps {
  readonly schedule: events.Schedule;
  /** @default DriftMode.CORRECT */
  readonly mode?: DriftMode;
  readonly functions: HandlerFunctions;
}

interface Chunk {
  readonly event: DriftCorrectionEvent;
  characters: number;
}

/**
 * The one schedule of a stack that re-checks every opted-in declaration: one EventBridge rule
 * invoking one function. Declarations are packed into the rule's targets (at most 5, each input
 * at most 8,192 characters, principals listed once per target), so the per-stack cost stays
 * constant; past that, synth fails with the bound.
 */
export class DriftCorrectionSchedule extends Construct {
  /** The schedule's expression, so that a second, different schedule in the stack is refused. */
  public readonly expression: string;
  /** The rule's name, fixed at synth: the functions that act on the declarations read its targets. */
  public readonly ruleName: string;
  /** The schedule's mode, so that a second, different mode in the stack is refused. */
  public readonly mode: DriftMode;
  /** The function the schedule invokes: a change-triggered Config evaluation may invoke it too (lib/compliance/). */
  public readonly handler: lambda.Function;
  private readonly rule: events.Rule;
  private readonly chunks: Chunk[] = [];

  constructor(scope: Construct, id: string, props: DriftCorrectionScheduleProps) {
    super(scope, id);
    this.expression = props.schedule.expressionString;
    this.mode = props.mode ?? DriftMode.CORRECT;
    this.handler = props.functions.correctDrift(this);
    // The function acts only on its rule's target inputs, read at run time (lambda/drift/stack-guard.ts).
    // It learns the rule from a name fixed at synth: a Ref to the rule would make the function
    // depend on the rule, which depends on the function (its target).
    const ruleName = driftRuleName(this);
    this.ruleName = ruleName;
    this.rule = new events.Rule(this, 'Rule', {
      ruleName,
      schedule: props.schedule,
      description: 'Checks provisioned products for drift from their declared owner and launch role',
    });
    this.handler.addEnvironment(DRIFT_RULE_NAME_ENV, ruleName);
    this.handler.addEnvironment(DRIFT_STACK_ID_ENV, Aws.STACK_ID);
    // Read-only, on this rule and this stack alone. The role is the one our functions share (lib/provider).
    this.handler.addToRolePolicy(new iam.PolicyStatement({
      actions: ['events:ListTargetsByRule'],
      resources: [Stack.of(this).formatArn({ service: 'events', resource: 'rule', resourceName: ruleName })],
    }));
    this.handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [Aws.STACK_ID] }));
  }

  /** Adds a declaration to the schedule's event, in a new target when the last one is full. */
  public add(declaration: Declaration): void {
    const { product, values: { OWNER: owner, LAUNCH_ROLE: launchRole } } = declaration;
    const entryCharacters = listedLength(product.id ?? product.name, ESTIMATED_TOKEN_ID_LENGTH) + 16;
    let chunk = this.chunks[this.chunks.length - 1];
    const extra = (c: Chunk | undefined) => entryCharacters
      + (owner && !c?.event.owners.includes(owner) ? listedLength(owner, ESTIMATED_TOKEN_ARN_LENGTH) : 0)
      + (launchRole && !c?.event.launchRoles.includes(launchRole) ? listedLength(launchRole, ESTIMATED_TOKEN_ARN_LENGTH) : 0);
    if (!chunk || chunk.characters + extra(chunk) > MAX_TARGET_INPUT_CHARACTERS) {
      if (this.chunks.length === MAX_TARGETS_PER_RULE) {
        throw new Error(`cdk-provisioned-product-properties: the drift-correction schedule of stack ${Stack.of(this).stackName} holds `
          + `at most ${MAX_TARGETS_PER_RULE} EventBridge targets of ${MAX_TARGET_INPUT_CHARACTERS} characters, which these `
          + 'declarations exceed. Turn driftCorrection off for some of them, or split them across stacks.');
      }
      chunk = this.newChunk();
    }
    chunk.characters += extra(chunk);
    addDriftEntry(chunk.event, declaration);
  }

  private newChunk(): Chunk {
    const stackName = Stack.of(this).stackName;
    const chunk: Chunk = {
      event: { kind: DRIFT_EVENT_KIND, stackName, owners: [], launchRoles: [], products: [] },
      characters: envelopeCharacters(stackName, this.mode),
    };
    this.chunks.push(chunk);
    // A target with a constant Input receives nothing of the event: the input transformer carries
    // the event's id (the same on a retried delivery, so the corrections' idempotency tokens are
    // too) and its time into the input. The lists are lazy: declarations are added after this.
    this.rule.addTarget(new targets.LambdaFunction(this.handler, {
      event: events.RuleTargetInput.fromObject({
        kind: chunk.event.kind,
        stackName,
        [DRIFT_EVENT_ID_KEY]: events.EventField.eventId,
        [DRIFT_EVENT_TIME_KEY]: events.EventField.time,
        ...modeEntry(this.mode),
        owners: Lazy.list({ produce: () => chunk.event.owners }, { omitEmpty: false }),
        launchRoles: Lazy.list({ produce: () => chunk.event.launchRoles }, { omitEmpty: false }),
        products: Lazy.any({ produce: () => chunk.event.products }, { omitEmptyArray: false }),
      }),
      retryAttempts: 2,
    }));
    return chunk;
  }
}

/**
 * The input template around the lists, as EventBridge counts it: the event's id and time are
 * placeholders (`"id":<id>`), filled in at delivery, after the 8,192-character check.
 */
export function envelopeCharacters(stackName: string, mode: DriftMode = DriftMode.CORRECT): number {
  const name = Token.isUnresolved(stackName) ? 'x'.repeat(ESTIMATED_TOKEN_STACK_NAME_LENGTH) : stackName;
  const placeholders = { [DRIFT_EVENT_ID_KEY]: '<id>', [DRIFT_EVENT_TIME_KEY]: '<time>' };
  const template = JSON.stringify({
    kind: DRIFT_EVENT_KIND, stackName: name, ...placeholders, ...modeEntry(mode), owners: [], launchRoles: [], products: [],
  });
  return template.length - 2 * Object.keys(placeholders).length; // the placeholders go unquoted
}

/** The input's mode: absent in CORRECT mode, so that the default keeps the inputs (and templates) of earlier releases. */
function modeEntry(mode: DriftMode): Record<string, string> {
  return mode === DriftMode.CORRECT ? {} : { [DRIFT_EVENT_MODE_KEY]: mode };
}

/** EventBridge rule names: at most 64 characters of [.-_A-Za-z0-9]. */
const MAX_RULE_NAME_LENGTH = 64;

/**
 * The schedule rule's name, fixed at synth and unique in the account and region: the stack's name
 * (unique there) when known, with a hash of it and of the construct path.
 */
export function driftRuleName(scope: Construct): string {
  const stackName = Stack.of(scope).stackName;
  if (Token.isUnresolved(stackName)) {
    return Names.uniqueResourceName(scope, { maxLength: MAX_RULE_NAME_LENGTH, separator: '-' });
  }
  const hash = createHash('sha256').update(`${stackName}/${scope.node.path}`).digest('hex').slice(0, 8);
  const suffix = `-DriftCorrection-${hash}`;
  return `${stackName.slice(0, MAX_RULE_NAME_LENGTH - suffix.length)}${suffix}`;
}
