/**
 * The harness itself: Lambda's timeout and context, what the provider framework does with a
 * timed-out function, the waiter's retries, and that a hanging request fails instead of hanging.
 * Stand-in handlers replace the asset; the provider is the one our construct synthesizes.
 * Time is virtual (jest's fake timers: setTimeout and Date): nothing here does real I/O, so every
 * timeout, sleep and deadline happens exactly when the test moves the clock, whatever the machine's load.
 */
import { createRequest, resolveIntrinsic } from './cloudformation-request';
import { arn, synthesizedResource } from './e2e-setup';
import { FrameworkHarness, LambdaHandler } from './framework-harness';

const resource = synthesizedResource({ id: 'pp-harness0001', owner: arn('role/Owner') });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** The user function the framework invokes for `variable`, as the template declares it. */
function userFunction(variable: 'USER_ON_EVENT_FUNCTION_ARN' | 'USER_IS_COMPLETE_FUNCTION_ARN') {
  const resources = resource.template.Resources;
  const framework = Object.values(resources).find((r) => r.Properties?.Handler === 'framework.onEvent')!;
  const reference = (framework.Properties as any).Environment.Variables[variable];
  const fnArn = resolveIntrinsic(reference, resource.template);
  return { arn: fnArn, name: fnArn.split(':').pop()!, timeoutMs: (resources[reference['Fn::GetAtt'][0]].Properties as any).Timeout * 1000 };
}

let harness: FrameworkHarness | undefined;
function start(handlers: { onEvent?: LambdaHandler; isComplete?: LambdaHandler }, functionTimeoutMs?: { onEvent?: number; isComplete?: number }) {
  harness = new FrameworkHarness({
    template: resource.template, functionTimeoutMs,
    handlers: {
      onEvent: handlers.onEvent ?? (async () => ({ PhysicalResourceId: 'pp-harness0001', Data: { RecordId: 'rec-1' } })),
      isComplete: handlers.isComplete ?? (async () => ({ IsComplete: true })),
    },
  });
  return harness;
}

/** Moves the virtual clock by `ms`, running every timer due and the promise callbacks they release. */
const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

/** Settles `promise` by moving the clock in steps (at most `limitMs` in all): a waiter sleeps between its polls. */
async function settled<T>(promise: Promise<T>, limitMs = 60_000): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => { done = true; });
  tracked.catch(() => undefined);
  for (let moved = 0; !done && moved < limitMs; moved += 100) await advance(100);
  return tracked;
}

beforeAll(() => {
  for (const level of ['log', 'info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
beforeEach(() => { jest.useFakeTimers({ now: 1_800_000_000_000 }); });
afterEach(async () => {
  if (harness) await settled(harness.stop());
  harness = undefined;
  jest.useRealTimers();
});

describe('the Lambda context and timeout', () => {
  test('each handler gets its function\'s name, a fresh awsRequestId, and the time left until the template\'s Timeout', async () => {
    const seen: Array<{ name: string; id: string; remaining: number }> = [];
    const capture: LambdaHandler = async (_event, context) => {
      seen.push({ name: context.functionName, id: context.awsRequestId, remaining: context.getRemainingTimeInMillis() });
      return context.functionName === userFunction('USER_ON_EVENT_FUNCTION_ARN').name ? { PhysicalResourceId: 'p' } : { IsComplete: true };
    };
    const h = start({ onEvent: capture, isComplete: capture });
    await expect(settled(h.send(createRequest(resource)))).resolves.toMatchObject({ Status: 'SUCCESS' });

    const onEvent = userFunction('USER_ON_EVENT_FUNCTION_ARN');
    const isComplete = userFunction('USER_IS_COMPLETE_FUNCTION_ARN');
    expect(seen.map((s) => s.name)).toEqual([onEvent.name, isComplete.name]);
    expect(new Set(seen.map((s) => s.id)).size).toBe(2);
    for (const [s, fn] of [[seen[0], onEvent], [seen[1], isComplete]] as const) {
      expect(s.remaining).toBeLessThanOrEqual(fn.timeoutMs);
      expect(s.remaining).toBeGreaterThan(fn.timeoutMs - 2000);
    }
  });

  test('a too-slow handler is cut at its timeout with the runtime\'s Sandbox.Timedout answer; its promise runs on, ignored', async () => {
    let finished = false;
    const h = start({ onEvent: async () => { await sleep(600); finished = true; return { PhysicalResourceId: 'late' }; } }, { onEvent: 200 });
    const started = Date.now();
    const invoked = h.invokeFunction({ FunctionName: userFunction('USER_ON_EVENT_FUNCTION_ARN').arn, Payload: JSON.stringify({ RequestId: 'r-1' }) });
    await advance(199);
    expect(h.invocationsOf('r-1')).toEqual([]);
    await advance(1);
    const result = await invoked;
    expect(Date.now() - started).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    const payload = JSON.parse(Buffer.from(result.Payload).toString());
    expect(payload).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Task timed out after 0\.20 seconds$/) });
    const [invocation] = h.invocationsOf('r-1');
    expect(invocation).toMatchObject({ handler: 'onEvent', timedOut: true, error: 'Sandbox.Timedout' });
    expect(invocation.end - invocation.start).toBe(200);

    expect(finished).toBe(false);
    await advance(400);
    expect(finished).toBe(true);
    expect(invocation.settledAfterTimeoutAt).toBeGreaterThan(invocation.end);
  });

  test('a timed-out onEvent fails the Create with the timeout in the Reason and the framework\'s marker id', async () => {
    const h = start({ onEvent: () => sleep(1000).then(() => ({})) }, { onEvent: 200 });
    const response = await settled(h.send(createRequest(resource)));
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(response.Reason).toContain('Task timed out after 0.20 seconds');
  });
});

describe('the waiter', () => {
  test('a timed-out isComplete fails the resource at once: the framework catches the function error, so no Retry sees it', async () => {
    // framework.js: invokeUserFunction throws on FunctionError and safeHandler answers FAILED;
    // the state machine's Retry only sees the framework function's own errors (IsComplete false).
    const h = start({ isComplete: () => sleep(1000).then(() => ({ IsComplete: true })) }, { isComplete: 200 });
    const response = await settled(h.send(createRequest(resource)));
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'pp-harness0001' });
    expect(response.Reason).toContain('Task timed out after 0.20 seconds');
    expect(h.invocationsOf(response.RequestId, 'isComplete')).toEqual([expect.objectContaining({ timedOut: true })]);
  });

  test('IsComplete false is retried by the waiter after the synthesized interval', async () => {
    let polls = 0;
    const h = start({ isComplete: async () => ({ IsComplete: ++polls >= 2 }) });
    const response = await settled(h.send(createRequest(resource)));
    expect(response.Status).toBe('SUCCESS');
    const [first, second, ...more] = h.invocationsOf(response.RequestId, 'isComplete');
    expect(more).toEqual([]);
    expect(second.start - first.end).toBeGreaterThanOrEqual(h.waiter.intervalSeconds * 1000 - 50);
    expect(second.start - first.end).toBe(h.waiter.intervalSeconds * 1000);
  });
});

describe('a harness that cannot hang', () => {
  const neverComplete = { isComplete: async () => ({ IsComplete: false }) };

  test('a response that never comes fails the send at its deadline', async () => {
    const h = start(neverComplete);
    const sent = h.send(createRequest(resource), 300);
    sent.catch(() => undefined);
    await advance(300);
    await expect(sent).rejects.toThrow(/^no response to Create \S+ within 300 ms$/);
  });

  test('an onEvent slower than the send\'s deadline fails the send at the deadline, not at the function\'s timeout', async () => {
    const h = start({ onEvent: () => sleep(1500).then(() => ({})) });
    const started = Date.now();
    const sent = h.send(createRequest(resource), 300);
    sent.catch(() => undefined);
    await advance(300);
    await expect(sent).rejects.toThrow(/within 300 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('stop() fails the waiting send and ends the waiter during its sleep, without waiting it out', async () => {
    const h = start(neverComplete);
    const request = createRequest(resource);
    const sent = h.send(request);
    sent.catch(() => undefined);
    while (h.invocationsOf(request.RequestId, 'isComplete').length === 0) await advance(20);
    // The waiter now sleeps its interval; stop() must end it without the clock moving that far.
    const stopping = Date.now();
    await settled(h.stop(), 999);
    expect(Date.now() - stopping).toBeLessThan(1000);
    await expect(sent).rejects.toThrow(/stopped before/);
    await expect(h.send(createRequest(resource))).rejects.toThrow(/stopped/);
  });

  test('settle() gives up past its deadline, stops the harness and says so', async () => {
    const h = start(neverComplete);
    const sent = h.send(createRequest(resource)).catch((e: Error) => e);
    await advance(100);
    const settling = h.settle(300);
    settling.catch(() => undefined);
    await advance(300);
    await expect(settling).rejects.toThrow(/waiters still running after 300 ms/);
    expect(String(await settled(sent))).toMatch(/stopped before/);
  });

  test('a request for another provider\'s ServiceToken is refused, not answered', async () => {
    const h = start({});
    const request = { ...createRequest(resource), ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:other' };
    await expect(h.send(request)).rejects.toThrow(/is not this provider's framework onEvent function/);
  });
});
