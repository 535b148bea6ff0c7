/**
 * ConfigFake: AWS Config's PutEvaluations on 127.0.0.1, speaking its AWS JSON 1.1 protocol
 * (X-Amz-Target StarlingDoveService.<operation>) to the real @aws-sdk/client-config-service
 * through AWS_ENDPOINT_URL_CONFIG_SERVICE. It enforces what the API Reference documents
 * (PutEvaluations, Evaluation): ResultToken required and one Config issued; Evaluations at most
 * 100; ComplianceResourceType 1-256 characters; ComplianceResourceId 1-768; ComplianceType
 * COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE ("INSUFFICIENT_DATA is not supported" for an
 * Evaluation); Annotation 1-256; OrderingTimestamp required. Errors: InvalidParameterValueException,
 * InvalidResultTokenException, and ThrottlingException when the test throttles it. The latest
 * evaluation of each resource (by OrderingTimestamp), per rule, is what the console would show,
 * and what GetComplianceDetailsByConfigRule lists.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { LocalServiceFake } from '../local-service-fake';

export interface StoredEvaluation {
  readonly ComplianceResourceType: string;
  readonly ComplianceResourceId: string;
  readonly ComplianceType: string;
  readonly Annotation?: string;
  /** Epoch seconds, as the JSON protocol sends a timestamp. */
  readonly OrderingTimestamp: number;
}

const COMPLIANCE_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

export class ConfigFake extends LocalServiceFake {
  static async start(): Promise<ConfigFake> {
    return LocalServiceFake.listening(new ConfigFake());
  }

  /** Every PutEvaluations call accepted, with its evaluations. */
  readonly calls: { readonly resultToken: string; readonly evaluations: StoredEvaluation[] }[] = [];
  /** Every call refused, with the error code. */
  readonly refusals: string[] = [];
  /** The latest evaluation of each resource, by rule name. */
  private readonly latest = new Map<string, Map<string, StoredEvaluation>>();
  /** The rule each issued ResultToken is for. */
  private readonly tokens = new Map<string, string>();
  private readonly throttleNext = new Map<string, number>();

  /** A ResultToken as Config puts in the event it sends the rule's function. */
  issueResultToken(ruleName: string): string {
    const token = `token-${randomUUID()}`;
    this.tokens.set(token, ruleName);
    if (!this.latest.has(ruleName)) this.latest.set(ruleName, new Map());
    return token;
  }

  /** The next `calls` calls of `operation` get ThrottlingException (HTTP 400). */
  throttle(operation: 'PutEvaluations' | 'GetComplianceDetailsByConfigRule', calls: number): void {
    this.throttleNext.set(operation, calls);
  }

  /** What Config shows for the resource under the rule: its latest evaluation. */
  evaluationOf(ruleName: string, resourceId: string): StoredEvaluation | undefined {
    return this.latest.get(ruleName)?.get(resourceId);
  }

  protected async handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target !== 'StarlingDoveService.PutEvaluations' && target !== 'StarlingDoveService.GetComplianceDetailsByConfigRule') {
      return this.refuse(res, 'UnknownOperationException', `unknown operation ${target}`);
    }
    const operation = target.split('.')[1];
    const throttled = this.throttleNext.get(operation) ?? 0;
    if (throttled > 0) {
      this.throttleNext.set(operation, throttled - 1);
      return this.refuse(res, 'ThrottlingException', 'Rate exceeded');
    }
    const input = JSON.parse(body || '{}');
    if (target === 'StarlingDoveService.GetComplianceDetailsByConfigRule') return this.complianceDetails(res, input);
    const problem = this.validate(input);
    if (problem) return this.refuse(res, problem.code, problem.message);
    const evaluations = (input.Evaluations ?? []) as StoredEvaluation[];
    this.calls.push({ resultToken: input.ResultToken, evaluations });
    const rule = this.tokens.get(input.ResultToken)!;
    const latest = this.latest.get(rule) ?? new Map<string, StoredEvaluation>();
    this.latest.set(rule, latest);
    for (const evaluation of evaluations) {
      const previous = latest.get(evaluation.ComplianceResourceId);
      if (!previous || previous.OrderingTimestamp <= evaluation.OrderingTimestamp) latest.set(evaluation.ComplianceResourceId, evaluation);
    }
    this.reply(res, 200, { FailedEvaluations: [] });
  }

  /**
   * GetComplianceDetailsByConfigRule (API Reference): the rule's latest result per resource, filtered
   * by ComplianceTypes, at most Limit (0-100; 0 or absent: 100) per page. An unknown rule is NoSuchConfigRuleException.
   */
  private complianceDetails(res: http.ServerResponse, input: any): void {
    const latest = this.latest.get(String(input.ConfigRuleName ?? ''));
    if (!latest) return this.refuse(res, 'NoSuchConfigRuleException', `The ConfigRule '${input.ConfigRuleName}' provided in the request is invalid.`);
    if (input.Limit !== undefined && (input.Limit < 0 || input.Limit > 100)) return this.refuse(res, 'InvalidParameterValueException', 'Limit must be 0 to 100');
    const types: string[] | undefined = input.ComplianceTypes;
    const results = [...latest.values()].filter((e) => !types || types.includes(e.ComplianceType));
    const offset = Number(input.NextToken ?? 0);
    const size = input.Limit || 100;
    const page = results.slice(offset, offset + size).map((e) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: { ConfigRuleName: input.ConfigRuleName, ResourceType: e.ComplianceResourceType, ResourceId: e.ComplianceResourceId },
        OrderingTimestamp: e.OrderingTimestamp,
      },
      ComplianceType: e.ComplianceType, Annotation: e.Annotation,
    }));
    this.reply(res, 200, { EvaluationResults: page, ...(offset + size < results.length ? { NextToken: String(offset + size) } : {}) });
  }

  private validate(input: any): { code: string; message: string } | undefined {
    const invalid = (message: string) => ({ code: 'InvalidParameterValueException', message });
    if (typeof input.ResultToken !== 'string') return invalid('ResultToken is required');
    if (!this.tokens.has(input.ResultToken)) return { code: 'InvalidResultTokenException', message: 'The result token is invalid' };
    const evaluations = input.Evaluations ?? [];
    if (!Array.isArray(evaluations) || evaluations.length > 100) return invalid(`Evaluations has ${evaluations.length} members; at most 100`);
    const within = (value: unknown, max: number) => typeof value === 'string' && [...value].length >= 1 && [...value].length <= max;
    for (const e of evaluations) {
      if (!within(e.ComplianceResourceType, 256)) return invalid('ComplianceResourceType must have 1 to 256 characters');
      if (!within(e.ComplianceResourceId, 768)) return invalid('ComplianceResourceId must have 1 to 768 characters');
      if (!COMPLIANCE_TYPES.includes(e.ComplianceType)) return invalid(`ComplianceType ${e.ComplianceType} is not supported for an Evaluation`);
      if (e.Annotation !== undefined && !within(e.Annotation, 256)) return invalid('Annotation must have 1 to 256 characters');
      if (typeof e.OrderingTimestamp !== 'number') return invalid('OrderingTimestamp is required');
    }
    return undefined;
  }

  private refuse(res: http.ServerResponse, code: string, message: string): void {
    this.refusals.push(code);
    this.reply(res, 400, { __type: code, message });
  }

  private reply(res: http.ServerResponse, status: number, body: object): void {
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
    res.end(JSON.stringify(body));
  }
}
