/**
 * `cdk-provisioned-product-properties plan`: bundled into assets/cli/index.js at build time (the
 * AWS SDK inside), run by the package's bin. Exit codes: 0 success, 1 error, 2 with
 * --detailed-exitcode when any action is not `none`.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { HandlerDeps } from '../lambda/runtime';
import { RETRY, ServiceCatalogRetryStrategy } from '../lambda/service-catalog';
import { PlanOptions, USAGE, parseCommandLine } from './args';
import { readAssembly, selectStacks } from './assembly';
import { CliError, errorText } from './errors';
import { hasChanges, renderJson, renderTable } from './render';
import { RegionClients, runPlan } from './run-plan';

declare const CLI_VERSION: string | undefined;
const VERSION = typeof CLI_VERSION === 'string' ? CLI_VERSION : '0.0.0-dev';

export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** NO_COLOR is read from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Waits between Searches while Search's index lags; tests make it instant. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const EXIT = { OK: 0, ERROR: 1, CHANGES: 2 } as const;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const options = parseCommandLine(argv);
    if (options.command === 'help') {
      io.stdout.write(USAGE);
      return EXIT.OK;
    }
    if (options.command === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.OK;
    }
    return await plan(options, io);
  } catch (error) {
    io.stderr.write(`Error: ${error instanceof CliError ? error.message : errorText(error)}\n`);
    return EXIT.ERROR;
  }
}

async function plan(options: PlanOptions, io: CliIo): Promise<number> {
  const stacks = selectStacks(readAssembly(options.app), options.stacks);
  const clients = new Map<string, RegionClients>();
  const clientsFor = (region: string) => {
    if (!clients.has(region)) clients.set(region, regionClients(region, options.profile, io));
    return clients.get(region)!;
  };
  const probe = new CloudFormationClient({ profile: options.profile, region: options.region });
  let defaultRegion = options.region ?? '';
  try {
    defaultRegion ||= await probe.config.region();
  } catch (error) {
    if (stacks.some((s) => !s.region)) {
      throw new CliError(`no AWS region for stacks without env: ${errorText(error)}. Give --region, set AWS_REGION, or a region in the profile`);
    }
  }
  try {
    await probe.config.credentials();
  } catch (error) {
    throw new CliError(`no AWS credentials: ${errorText(error)}. Configure them (AWS_PROFILE, --profile, aws configure or aws sso login)`);
  } finally {
    probe.destroy();
  }
  const progress = progressLine(io.stderr);
  try {
    const { declarations, warnings } = await runPlan({ stacks, defaultRegion, clientsFor, progress: progress.update });
    progress.clear();
    for (const warning of warnings) io.stderr.write(`Warning: ${warning}\n`);
    const colour = io.stdout.isTTY === true && !io.env.NO_COLOR;
    io.stdout.write(options.json ? renderJson(declarations) : renderTable(declarations, colour));
    return options.detailedExitCode && hasChanges(declarations) ? EXIT.CHANGES : EXIT.OK;
  } finally {
    progress.clear();
    for (const c of clients.values()) {
      c.cloudFormation.destroy();
      c.serviceCatalog.client.destroy();
    }
  }
}

function regionClients(region: string, profile: string | undefined, io: CliIo): RegionClients {
  const client = new ServiceCatalogClient({
    region, profile,
    // The handler's retries: Service Catalog's quotas are not published, and a plan reads many products.
    retryStrategy: new ServiceCatalogRetryStrategy(),
    maxAttempts: RETRY.throttledMaxAttempts,
  });
  const cloudFormation = new CloudFormationClient({ region, profile, retryMode: 'adaptive', maxAttempts: 8 });
  const serviceCatalog: HandlerDeps = {
    client,
    cloudFormation,
    ssm: new SSMClient({ region, profile, retryMode: 'adaptive', maxAttempts: 8 }),
    now: Date.now,
    sleep: io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: Math.random,
    log: () => undefined,
    remainingMs: () => Infinity,
  };
  return { serviceCatalog, cloudFormation };
}

/** One line on stderr, rewritten in place, only on a terminal. */
function progressLine(stderr: Output): { update: (message: string) => void; clear: () => void } {
  let shown = false;
  return {
    update: (message) => {
      if (!stderr.isTTY) return;
      stderr.write(`\r\x1b[2K… ${message}`);
      shown = true;
    },
    clear: () => {
      if (shown) stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** Runs the command in this process, as the package's bin does. */
export function runAsCommand(): void {
  // The SDK warns that its future versions will need Node.js 22: the user's runtime, not this plan's output.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (!/NodeVersionSupportWarning/.test(`${warning.name} ${warning.message}`)) process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });
  void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runAsCommand();
