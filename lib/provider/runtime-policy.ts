/**
 * Which Node.js runtime the provider's functions (ours and the framework's) run on, and when the
 * cdk-nag finding for an older runtime (AwsSolutions-L1) is acknowledged.
 *
 * The policy: the newest Node.js runtime that the installed aws-cdk-lib knows **and** that this
 * release's bundle is tested on (CI runs the end-to-end suite on each: scripts/node-runtimes.mjs),
 * never older than Node.js 24. When aws-cdk-lib knows a newer Node.js runtime than any tested one,
 * the provider stays on the newest tested one and says why in the acknowledgement; a runtime the
 * user chooses (configureProvider's `runtime`) is theirs, and its findings are not acknowledged.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Acknowledgement } from '../cdk-compat';

/** The runtimes the bundle is tested on, oldest first: keep in step with scripts/node-runtimes.mjs. */
export const TESTED_NODE_RUNTIMES: readonly string[] = ['nodejs22.x', 'nodejs24.x', 'nodejs26.x'];

/**
 * The oldest runtime the provider picks by itself. aws-cdk-lib releases before 2.224.0 know no
 * Node.js 24; there the provider names it itself (Lambda has run it since November 2025).
 */
export const MIN_DEFAULT_NODE_RUNTIME = 'nodejs24.x';

const nodeMajor = (name: string): number | undefined => {
  const match = /^nodejs(\d+)\.x$/.exec(name);
  return match ? Number(match[1]) : undefined;
};

/** The Node.js runtime names the loaded aws-cdk-lib defines (and any the app defined by name), by major. */
export function knownNodeRuntimes(): string[] {
  const names = lambda.Runtime.ALL.filter((r) => r.family === lambda.RuntimeFamily.NODEJS).map((r) => r.name);
  return [...new Set(names)].filter((n) => nodeMajor(n) !== undefined).sort((a, b) => nodeMajor(a)! - nodeMajor(b)!);
}

/** The runtime of `name`: aws-cdk-lib's own object where it has one, else one made by name. */
function runtimeNamed(name: string): lambda.Runtime {
  return lambda.Runtime.ALL.find((r) => r.name === name)
    ?? new lambda.Runtime(name, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });
}

/** The runtime the provider runs on when the user chooses none. */
export function defaultNodeRuntime(known: readonly string[] = knownNodeRuntimes()): string {
  const candidates = TESTED_NODE_RUNTIMES.filter((n) => known.includes(n) && nodeMajor(n)! >= nodeMajor(MIN_DEFAULT_NODE_RUNTIME)!);
  return candidates[candidates.length - 1] ?? MIN_DEFAULT_NODE_RUNTIME;
}

/** The runtime to run on, and the acknowledgements it needs. */
export interface RuntimeChoice {
  readonly runtime: lambda.Runtime;
  /** AwsSolutions-L1, where the runtime is the newest tested one and aws-cdk-lib knows a newer one. */
  readonly acknowledgements: Acknowledgement[];
}

/**
 * The provider's runtime: `chosen` (configureProvider's `runtime`, already validated) or the
 * policy's default.
 */
export function chooseNodeRuntime(chosen: lambda.Runtime | undefined, known: readonly string[] = knownNodeRuntimes()): RuntimeChoice {
  const name = chosen?.name ?? defaultNodeRuntime(known);
  const newestKnown = known[known.length - 1];
  const untestedNewer = chosen === undefined && newestKnown !== undefined && !TESTED_NODE_RUNTIMES.includes(newestKnown)
    && nodeMajor(newestKnown)! > nodeMajor(name)!;
  return {
    runtime: chosen ?? runtimeNamed(name),
    acknowledgements: untestedNewer ? [{
      id: 'AwsSolutions-L1',
      reason: `The installed aws-cdk-lib knows ${newestKnown}, and this release of cdk-provisioned-product-properties has `
        + `tested its bundle on ${TESTED_NODE_RUNTIMES.join(', ')} only: the provider runs ${name} until a release of the library `
        + 'that tests the newer runtime. The runtime policy is in the README.',
    }] : [],
  };
}

/** Why `runtime` cannot be configureProvider's `runtime`, or undefined when it can. */
export function unsupportedRuntimeReason(runtime: lambda.Runtime): string | undefined {
  if (TESTED_NODE_RUNTIMES.includes(runtime.name)) {
    return undefined;
  }
  return `the provider's bundle is tested on ${TESTED_NODE_RUNTIMES.join(', ')} only. `
    + 'Pick one of them (lambda.Runtime.NODEJS_24_X, or new lambda.Runtime(\'nodejs24.x\', lambda.RuntimeFamily.NODEJS) '
    + 'on aws-cdk-lib releases that do not define it), or leave runtime unset for the newest your aws-cdk-lib knows.';
}
