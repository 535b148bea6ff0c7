/**
 * LambdaInvokeFake: Lambda's Invoke on 127.0.0.1, as its REST-JSON API documents it
 * (POST /2015-03-31/functions/{FunctionName}/invocations; X-Amz-Invocation-Type Event is answered
 * 202 with an empty body once queued), for the real @aws-sdk/client-lambda through
 * AWS_ENDPOINT_URL_LAMBDA. It queues each asynchronous invocation; the test delivers it, in order.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

export interface QueuedInvocation {
  readonly functionName: string;
  readonly invocationType: string;
  readonly payload: any;
}

export class LambdaInvokeFake {
  static async start(): Promise<LambdaInvokeFake> {
    const fake = new LambdaInvokeFake();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', () => resolve()));
    return fake;
  }

  readonly invocations: QueuedInvocation[] = [];
  private readonly server = http.createServer((req, res) => void this.onRequest(req, res));

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
    const headers = { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID() };
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { ...headers, 'x-amzn-ErrorType': 'ResourceNotFoundException' });
      return void res.end(JSON.stringify({ Type: 'User', message: `no route ${req.method} ${req.url}` }));
    }
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    this.invocations.push({ functionName: decodeURIComponent(match[1]), invocationType, payload: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
    res.writeHead(invocationType === 'Event' ? 202 : 200, headers);
    res.end();
  }
}
