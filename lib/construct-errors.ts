/**
 * How the construct and the Aspect report an error, the way aws-cdk-lib reports its own
 * (core/lib/errors.ts, `ValidationError`): the message first, then the user's line that created
 * the construct, not a frame of this library's source.
 */
import { IConstruct } from 'constructs';

/** aws-cdk-lib's marks, so that its `Errors.isValidationError` (2.183.0 and newer) knows these errors. */
const CONSTRUCT_ERROR = Symbol.for('@aws-cdk/core.SynthesisError');
const VALIDATION_ERROR = Symbol.for('@aws-cdk/core.ValidationError');

/** Named as aws-cdk-lib's, so that Node.js prints `ValidationError: <message>`. */
class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
    Object.defineProperty(this, CONSTRUCT_ERROR, { value: true });
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
  }
}

/** A construct as messages name it: `'Stack/Product'`, or `the app` for the root (whose path is empty). */
export function constructName(scope: IConstruct): string {
  return scope.node.path === '' ? 'the app' : `'${scope.node.path}'`;
}

/**
 * A `ValidationError` about `scope`. Its stack starts where the user's code called `createdBy` (the
 * constructor of the construct that failed), as aws-cdk-lib's does with `scope.constructor`, so that
 * `cdk synth` shows the message and the user's own line instead of a code frame of this library.
 * Where `createdBy` is not on the stack (an Aspect, run by aws-cdk-lib during synth), the stack is
 * only the message and the construct's path.
 */
export function validationError(message: string, scope: IConstruct,
  createdBy: abstract new (...args: never[]) => unknown = scope.constructor as abstract new () => unknown): Error {
  const error = new ValidationError(message);
  Error.captureStackTrace(error, createdBy as unknown as (...args: unknown[]) => unknown);
  const frames = (error.stack ?? '').split('\n').filter((line) => line.startsWith('    at '));
  error.stack = [`ValidationError: ${message}`, `    at path [${scope.node.path}]`, ...frames].join('\n');
  return error;
}

/**
 * A `ValidationError` with no construct (the props of an Aspect), its stack starting where the
 * user's code called `createdBy`.
 */
export function unscopedValidationError(message: string, createdBy: abstract new (...args: never[]) => unknown): Error {
  const error = new ValidationError(message);
  Error.captureStackTrace(error, createdBy as unknown as (...args: unknown[]) => unknown);
  return error;
}
