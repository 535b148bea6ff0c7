/**
 * LambdaInvokeFake: Lambda's Invoke on 127.0.0.1, as its REST-JSON API documents it
 * (POST /2015-03-31/functions/{FunctionName}/invocations; X-Amz-Invocation-Type Event is answered
 * 202 with an empty body once queued), for the real @aws-sdk/client-lambda through
 * AWS_ENDPOINT_URL_LAMBDA. It queues each asynchronous invocation; the test delivers it, in order.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { LocalServiceFake } from './local-service-fake';

export interface QueuedInvocation {
  readonly functionName: string;
  readonly invocationType: string;
  readonly payload: any;
}

export class LambdaInvokeFake extends LocalServiceFake {
  static async start(): Promise<LambdaInvokeFake> {
    return LocalServiceFake.listening(new LambdaInvokeFake());
  }

  readonly invocations: QueuedInvocation[] = [];

  protected async handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
    const headers = { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID() };
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { ...headers, 'x-amzn-ErrorType': 'ResourceNotFoundException' });
      return void res.end(JSON.stringify({ Type: 'User', message: `no route ${req.method} ${req.url}` }));
    }
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    this.invocations.push({ functionName: decodeURIComponent(match[1]), invocationType, payload: JSON.parse(body || 'null') });
    res.writeHead(invocationType === 'Event' ? 202 : 200, headers);
    res.end();
  }
}
