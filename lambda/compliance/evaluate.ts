/**
 * The AWS Config custom rule's function: every product declared by the stack (the inputs of its
 * drift schedule's targets, read now with ListTargetsByRule: the declarations in force) is read
 * with the drift check's read path, judged with its rules (judgement.ts), and reported to Config
 * with PutEvaluations, at most 100 evaluations per call, each with the invocation's ResultToken.
 *
 * Periodic: every declared product. On a configuration change: the changed product, when the
 * stack declares it (else NOT_APPLICABLE: another stack's rule, or none, governs it); a deleted
 * product, or one that left the rule's scope, is NOT_APPLICABLE. Event shapes: AWS Config
 * Developer Guide, "Example Events for AWS Config Rules".
 */
import { ConfigServiceClient, Evaluation, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { ListTargetsByRuleCommand, Target } from '@aws-sdk/client-eventbridge';
import { Declaration } from '../../lib/shared/declaration';
import {
  COMPLIANCE_RESOURCE_TYPE, CORRECT_ON_CHANGE_ENV, ComplianceType, DRIFT_FUNCTION_NAME_ENV, MAX_EVALUATIONS_PER_CALL, boundAnnotation,
} from '../../lib/shared/compliance-rule';
import { DRIFT_RULE_NAME_ENV, DriftCorrectionEvent, decodeDriftEvent } from '../../lib/shared/drift-payload';
import { HandlerDeps, invocationDeadline } from '../runtime';
import { callBefore } from '../service-catalog';
import { readProduct } from '../drift/check';
import { lookUpLedgers } from '../drift/ledger-owner';
import { declaredInput, eventBridgeClient } from '../drift/stack-guard';
import { runPool } from '../drift/worker-pool';
import { requestCorrection } from './correct-on-change';
import { judgeProduct } from './judgement';
import { withdrawnProducts } from './withdrawn';

/** Products read at once, as in a drift run. */
export const COMPLIANCE_CONCURRENCY = 8;

/** What Config sends a custom rule's Lambda function (the fields used here). */
export interface ConfigRuleEvent {
  /** JSON: messageType, and configurationItem (or configurationItemSummary) or notificationCreationTime. */
  readonly invokingEvent: string;
  readonly resultToken: string;
  readonly eventLeftScope?: boolean;
  readonly configRuleName?: string;
}

interface ConfigurationItem {
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly resourceName?: string;
  readonly configurationItemStatus?: string;
  readonly configurationItemCaptureTime?: string;
}

export interface ComplianceSummary {
  readonly declared: number;
  readonly evaluations: number;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly notApplicable: number;
  /** Products with no evaluation this time (busy, throttled, no id): Config keeps their last one. */
  readonly skipped: number;
  readonly putEvaluationsCalls: number;
  /** A change-triggered evaluation that found drift, with correctOnChange: the drift function invoked at once. */
  readonly correctionRequested?: boolean;
}

/** The declarations in force, each with the target input that declares it. */
export interface DeclarationsInForce {
  readonly stackName: string;
  readonly declarations: Declaration[];
  readonly inputOf: Map<Declaration, DriftCorrectionEvent>;
}

export type ComplianceDeps = HandlerDeps & {
  readonly config: ConfigServiceClient;
  /** The stack's declarations in force; by default the inputs of the drift rule's targets. */
  readonly declarations?: (deadline: number) => Promise<DeclarationsInForce>;
  readonly emit: (line: string) => void;
};

const DELETED_STATUSES: readonly string[] = ['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded'];

export async function evaluateCompliance(event: ConfigRuleEvent, deps: ComplianceDeps): Promise<ComplianceSummary> {
  if (typeof event.resultToken !== 'string' || event.resultToken.length === 0) {
    throw new Error('the Config event has no resultToken: this function is invoked by its AWS Config rule only');
  }
  const invoking = JSON.parse(event.invokingEvent) as { messageType?: string; notificationCreationTime?: string;
    configurationItem?: ConfigurationItem; configurationItemSummary?: ConfigurationItem };
  const deadline = invocationDeadline(deps);
  const { stackName, declarations, inputOf } = await (deps.declarations ?? ((d) => declarationsInForce(deps, d)))(deadline);
  const drifted: Declaration[] = [];
  /** Products not evaluated this time that keep their last evaluation; `unknownKept` when one has no id to name it by. */
  const kept = new Set<string>();
  let unknownKept = false;
  const evaluations: Evaluation[] = [];
  const tally = { compliant: 0, nonCompliant: 0, notApplicable: 0, skipped: 0 };
  const add = (resourceId: string, compliance: ComplianceType, annotation: string, at: Date) => {
    evaluations.push({ ComplianceResourceType: COMPLIANCE_RESOURCE_TYPE, ComplianceResourceId: resourceId, ComplianceType: compliance,
      Annotation: boundAnnotation(annotation), OrderingTimestamp: at });
    tally[compliance === 'COMPLIANT' ? 'compliant' : compliance === 'NON_COMPLIANT' ? 'nonCompliant' : 'notApplicable']++;
  };

  let inScope: Declaration[] = declarations;
  let changedResourceId: string | undefined;
  let orderingTimestamp = new Date(invoking.notificationCreationTime ?? deps.now());
  const item = invoking.configurationItem ?? invoking.configurationItemSummary;
  if (invoking.messageType !== 'ScheduledNotification' && item) {
    orderingTimestamp = new Date(item.configurationItemCaptureTime ?? deps.now());
    const resourceId = item.resourceId;
    changedResourceId = resourceId;
    if (item.resourceType !== COMPLIANCE_RESOURCE_TYPE || !resourceId) {
      inScope = [];
    } else if (event.eventLeftScope || DELETED_STATUSES.includes(item.configurationItemStatus ?? '')) {
      inScope = [];
      add(resourceId, 'NOT_APPLICABLE', 'The provisioned product was deleted or left the rule\'s scope', orderingTimestamp);
    } else {
      inScope = declarations.filter((d) => declares(d, resourceId, item.resourceName));
      if (inScope.length === 0) add(resourceId, 'NOT_APPLICABLE', `Not declared by stack ${stackName}`, orderingTimestamp);
    }
  }

  // Read only: the owner a ledger proves is used, and nothing is written to it.
  const ledgerOf = await lookUpLedgers(deps, inScope, deadline);
  await runPool(inScope, COMPLIANCE_CONCURRENCY, async (declaration) => {
    const judgement = judgeProduct(stackName, declaration, await readProduct(deps, declaration, deadline, ledgerOf));
    const product = declaration.product.id ?? declaration.product.name;
    if (judgement.kind === 'skip') {
      tally.skipped++;
      if (declaration.product.id !== undefined) kept.add(declaration.product.id);
      else unknownKept = true;
      deps.emit(JSON.stringify({ message: 'compliance evaluation', level: judgement.retryable ? 'WARN' : 'ERROR', StackName: stackName,
        product, evaluated: false, reason: judgement.reason }));
      return;
    }
    // On a change, the evaluation goes to the resource id Config sent, whatever its form.
    add(changedResourceId ?? judgement.resourceId, judgement.compliance, judgement.annotation, orderingTimestamp);
    if (Object.keys(judgement.drift).length > 0) drifted.push(declaration);
    deps.emit(JSON.stringify({ message: 'compliance evaluation', StackName: stackName, product, provisionedProductId: judgement.resourceId,
      compliance: judgement.compliance, drift: judgement.drift, annotation: judgement.annotation }));
  });

  if (invoking.messageType === 'ScheduledNotification' && event.configRuleName) {
    await reportWithdrawn(deps, event.configRuleName, stackName, new Set([...evaluations.map((e) => e.ComplianceResourceId!), ...kept]),
      unknownKept, deadline, (id) => add(id, 'NOT_APPLICABLE', `No longer declared by stack ${stackName}`, orderingTimestamp));
  }

  let calls = 0;
  for (let i = 0; i < evaluations.length; i += MAX_EVALUATIONS_PER_CALL) {
    const batch = evaluations.slice(i, i + MAX_EVALUATIONS_PER_CALL);
    const output = await callBefore(deps, deadline, (o) => deps.config.send(new PutEvaluationsCommand({ Evaluations: batch, ResultToken: event.resultToken }), o));
    calls++;
    if (output.FailedEvaluations?.length) {
      deps.log('compliance evaluation: ERROR Config did not accept some evaluations', { level: 'ERROR', failed: output.FailedEvaluations.length,
        resourceIds: output.FailedEvaluations.map((f) => f.ComplianceResourceId) });
    }
  }
  // The evidence first; then, where opted in, the correction of a drift a change just made.
  const functionName = process.env[DRIFT_FUNCTION_NAME_ENV];
  let correctionRequested: boolean | undefined;
  const input = drifted.length > 0 ? inputOf.get(drifted[0]) : undefined;
  if (invoking.messageType !== 'ScheduledNotification' && item?.resourceId && process.env[CORRECT_ON_CHANGE_ENV] === 'true' && functionName && input) {
    const request = await requestCorrection(deps, functionName, input,
      { resourceId: item.resourceId, capturedAt: item.configurationItemCaptureTime ?? orderingTimestamp.toISOString() }, deadline);
    correctionRequested = request.kind === 'requested';
    deps.log('compliance evaluation: correction at once', { ...request, provisionedProductId: item.resourceId });
  }
  return { declared: declarations.length, evaluations: evaluations.length, ...tally, putEvaluationsCalls: calls,
    ...(correctionRequested === undefined ? {} : { correctionRequested }) };
}

/** A product some declaration by name could not be resolved to may be among the results: then none is withdrawn. */
async function reportWithdrawn(deps: ComplianceDeps, configRuleName: string, stackName: string, current: ReadonlySet<string>,
  unknownKept: boolean, deadline: number, withdraw: (resourceId: string) => void): Promise<void> {
  if (unknownKept) {
    deps.log('compliance evaluation: products no longer declared are left for the next evaluation: a product declared by name was not read',
      { level: 'WARN', StackName: stackName });
    return;
  }
  const withdrawn = await withdrawnProducts(deps, configRuleName, current, deadline);
  if (withdrawn.kind === 'unknown') {
    deps.log('compliance evaluation: the rule\'s earlier results could not be listed; products no longer declared keep their last evaluation',
      { level: 'WARN', StackName: stackName, reason: withdrawn.reason });
    return;
  }
  withdrawn.resourceIds.forEach(withdraw);
}

/**
 * Whether a declaration names the resource of a configuration item. What Config uses as this
 * type's resource id is undocumented: the provisioned product id (the type's primary identifier,
 * what the drift check reports) or its ARN (arn:...:servicecatalog:...:stack/<name>/<id>), so
 * either matches; a declaration by name also matches the item's resourceName.
 */
function declares(declaration: Declaration, resourceId: string, resourceName: string | undefined): boolean {
  const { id, name } = declaration.product;
  if (id !== undefined) return resourceId === id || resourceId.endsWith(`/${id}`);
  return name !== undefined && (name === resourceName || resourceId.split('/').slice(-2, -1)[0] === name);
}

/** The declarations of every target of the stack's drift rule (named in the function's environment). */
async function declarationsInForce(deps: HandlerDeps, deadline: number, env: NodeJS.ProcessEnv = process.env): Promise<DeclarationsInForce> {
  const ruleName = env[DRIFT_RULE_NAME_ENV];
  if (!ruleName) throw new Error(`the function's environment has no ${DRIFT_RULE_NAME_ENV}: it is made by the construct, which sets it`);
  const targets: Target[] = [];
  let nextToken: string | undefined;
  do {
    const output = await callBefore(deps, deadline, (o) => eventBridgeClient().send(new ListTargetsByRuleCommand({ Rule: ruleName, NextToken: nextToken }), o));
    targets.push(...output.Targets ?? []);
    nextToken = output.NextToken || undefined;
  } while (nextToken);
  let stackName = '';
  const declarations: Declaration[] = [];
  const inputOf = new Map<Declaration, DriftCorrectionEvent>();
  for (const target of targets) {
    const input = declaredInput(target);
    if (!input) continue;
    stackName = input.stackName;
    const decoded = decodeDriftEvent(input);
    declarations.push(...decoded.declarations);
    for (const declaration of decoded.declarations) inputOf.set(declaration, input);
    for (const entry of decoded.invalid) deps.log('compliance evaluation: an entry of the schedule is invalid and was skipped', { ...entry });
  }
  return { stackName, declarations, inputOf };
}

let configClient: ConfigServiceClient | undefined;

/** One client per Lambda container; the endpoint honours AWS_ENDPOINT_URL_CONFIG_SERVICE; throttling is retried by the SDK. */
export function configServiceClient(): ConfigServiceClient {
  configClient ??= new ConfigServiceClient({ retryMode: 'adaptive', maxAttempts: 8 });
  return configClient;
}
