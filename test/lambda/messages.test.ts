import { MAX_MESSAGE_BYTES, boundMessage, recordFailedMessage } from '../../lambda/messages';
import { toFrameworkError } from '../../lambda/index';
import { DeployFailure } from '../../lambda/deploy/handlers';

const jsonBytes = (s: string) => Buffer.byteLength(JSON.stringify(s), 'utf8');

describe('boundMessage', () => {
  test('leaves a short message as it is', () => {
    expect(boundMessage('short cause. do this.')).toBe('short cause. do this.');
  });

  test('joins lines, so the framework cannot split the message into stack lines', () => {
    expect(boundMessage('line one\n  line two\r\nline three')).toBe('line one line two line three');
  });

  test('cuts a huge message to the byte budget, keeping the start and marking the cut', () => {
    const errors = Array.from({ length: 500 }, (_, i) => ({ Code: `E${i}`, Description: `"quoted" description ${'x'.repeat(50)}` }));
    const message = boundMessage(recordFailedMessage('pp-1', 'rec-1', errors));
    expect(jsonBytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(message.startsWith('Service Catalog record rec-1 for provisioned product pp-1 FAILED: E0: "quoted"')).toBe(true);
    expect(message).toMatch(/…\[truncated \d+ characters; the handler's log has the full text\]$/);
  });

  test('counts multi-byte characters and never splits a surrogate pair', () => {
    const message = boundMessage('😀'.repeat(2000), 300);
    expect(jsonBytes(message)).toBeLessThanOrEqual(300);
    expect(message).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(message.startsWith('😀😀')).toBe(true);
  });
});

describe('toFrameworkError', () => {
  test('a DeployFailure leaves as its bounded message with a one-line stack', () => {
    const error = toFrameworkError(new DeployFailure({ kind: 'invalid-properties', validation: 'x'.repeat(10_000) }));
    expect(jsonBytes(error.message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(error.stack).toBe(`Error: ${error.message}`);
  });
  test('an unexpected error is reported as one, without its stack frames', () => {
    const error = toFrameworkError(new TypeError('cannot read x of undefined'));
    expect(error.message).toBe('Unexpected handler error: TypeError: cannot read x of undefined. The handler log has the stack trace; please report it with the log.');
    expect(error.stack!.split('\n')).toHaveLength(1);
  });
});
