/**
 * EventBridgeFake: the one EventBridge read the drift function makes, ListTargetsByRule, on
 * 127.0.0.1, speaking EventBridge's AWS JSON 1.1 protocol (X-Amz-Target AWSEvents.<operation>) to
 * the real @aws-sdk/client-eventbridge through AWS_ENDPOINT_URL_EVENTBRIDGE. The rules are what
 * the test says the stack has deployed: each target with its input transformer, resolved, as
 * EventBridge returns it (API reference, ListTargetsByRule and Target).
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { LocalServiceFake } from '../local-service-fake';

export interface FakeTarget {
  readonly Id: string;
  readonly Arn: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string };
}

/** Page size when Limit is absent: undocumented; small pages exercise paging (a rule has at most 5 targets). */
const DEFAULT_PAGE_SIZE = 2;

export class EventBridgeFake extends LocalServiceFake {
  static async start(): Promise<EventBridgeFake> {
    return LocalServiceFake.listening(new EventBridgeFake());
  }

  /** ListTargetsByRule calls, by rule name. */
  readonly calls: string[] = [];
  private readonly rules = new Map<string, FakeTarget[]>();

  /** Creates or replaces the rule's targets (a deploy's PutRule / PutTargets). */
  putRule(name: string, targets: FakeTarget[]): void {
    this.rules.set(name, targets);
  }

  /** The rule is deleted (with its stack). */
  deleteRule(name: string): void {
    this.rules.delete(name);
  }

  protected async handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target !== 'AWSEvents.ListTargetsByRule') {
      return this.reply(res, 400, { __type: 'UnknownOperationException', message: `unknown operation ${target}` });
    }
    const input = JSON.parse(body || '{}');
    const name = String(input.Rule ?? '');
    this.calls.push(name);
    const targets = this.rules.get(name);
    if (!targets) {
      return this.reply(res, 400, { __type: 'ResourceNotFoundException', message: `Rule ${name} does not exist on EventBus default.` });
    }
    const offset = Number(input.NextToken ?? 0);
    const size = input.Limit ?? DEFAULT_PAGE_SIZE;
    const next = offset + size < targets.length ? String(offset + size) : undefined;
    this.reply(res, 200, { Targets: targets.slice(offset, offset + size), ...(next ? { NextToken: next } : {}) });
  }

  private reply(res: http.ServerResponse, status: number, body: object): void {
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
    res.end(JSON.stringify(body));
  }
}
