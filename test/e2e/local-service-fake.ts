/**
 * What every local stand-in of an AWS service shares: an HTTP server on 127.0.0.1 (an ephemeral
 * port), its endpoint for AWS_ENDPOINT_URL_<SERVICE>, each request's body read whole, and a stop
 * that also ends the SDK's kept-alive connections.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export abstract class LocalServiceFake {
  /** Starts `fake` listening, and resolves with it. */
  protected static async listening<T extends LocalServiceFake>(fake: T): Promise<T> {
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', () => resolve()));
    return fake;
  }

  private readonly server = http.createServer((req, res) => void this.readThenHandle(req, res));

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answers one request, whose body has been read whole. */
  protected abstract handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> | void;

  private async readThenHandle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await this.handle(req, Buffer.concat(chunks).toString('utf8'), res);
  }
}
