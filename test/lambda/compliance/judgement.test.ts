/** What one product's evaluation says to Config, from what the drift check's read path found. */
import { judgeProduct } from '../../../lambda/compliance/judgement';
import { Declaration } from '../../../lib/shared/declaration';
import { MAX_ANNOTATION_LENGTH, boundAnnotation } from '../../../lib/shared/compliance-rule';

const OWNER = 'arn:aws:iam::123456789012:role/Owner';
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const byId: Declaration = { product: { id: 'pp-1' }, values: { OWNER } };
const byName: Declaration = { product: { name: 'team-app' }, values: { OWNER } };

test('in the declared state: COMPLIANT on the product id read', () => {
  expect(judgeProduct('S', byName, { kind: 'read', productId: 'pp-9', live: { owner: { listed: true, userArn: OWNER } } }))
    .toMatchObject({ kind: 'evaluate', resourceId: 'pp-9', compliance: 'COMPLIANT' });
});

test('drifted: NON_COMPLIANT, the annotation says what differs', () => {
  expect(judgeProduct('S', byId, { kind: 'read', productId: 'pp-1', live: { owner: { listed: true, userArn: ALICE } } }))
    .toMatchObject({ compliance: 'NON_COMPLIANT', annotation: `OWNER is ${ALICE}, declared ${OWNER} (stack S)` });
});

test('drift in both values with the longest ARNs: the annotation is cut to 256 characters, marked', () => {
  const long = (name: string) => `arn:aws:iam::123456789012:role/${'p/'.repeat(200)}${name}`;
  const declaration: Declaration = { product: { id: 'pp-1' }, values: { OWNER: long('o'), LAUNCH_ROLE: long('l') } };
  const judged = judgeProduct('S', declaration, { kind: 'read', productId: 'pp-1', live: { owner: { listed: true, userArn: ALICE }, launchRoleArn: ALICE } });
  expect(judged).toMatchObject({ compliance: 'NON_COMPLIANT' });
  const annotation = (judged as { annotation: string }).annotation;
  expect([...annotation]).toHaveLength(MAX_ANNOTATION_LENGTH);
  expect(annotation.endsWith('…')).toBe(true);
});

test('the owner not listed by Search: NON_COMPLIANT, could not be verified (never compliant on a guess)', () => {
  expect(judgeProduct('S', byId, { kind: 'read', productId: 'pp-1', live: { owner: { listed: false } } }))
    .toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/^Could not be verified: OWNER could not be read/) });
});

test('a read cut short (pending): no evaluation, retryable', () => {
  expect(judgeProduct('S', byId, { kind: 'report', report: { action: 'check-pending', reason: 'throttled' } }))
    .toEqual({ kind: 'skip', reason: 'throttled', retryable: true });
});

test('a read that failed for good: NON_COMPLIANT when declared by id; no evaluation (no id to attach it to) by name', () => {
  expect(judgeProduct('S', byId, { kind: 'report', report: { action: 'check-failed', reason: 'AccessDenied' } }))
    .toMatchObject({ compliance: 'NON_COMPLIANT', resourceId: 'pp-1', annotation: 'Could not be verified: AccessDenied' });
  expect(judgeProduct('S', byName, { kind: 'report', report: { action: 'check-failed', reason: 'no such product' } }))
    .toMatchObject({ kind: 'skip', retryable: false });
});

test('an annotation is never empty (Config requires 1 to 256 characters)', () => {
  expect(boundAnnotation('')).toBe('-');
});
