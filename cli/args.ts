/** The command line, following the CDK CLI's conventions (`--app`, `--profile`, stack patterns). */
import { parseArgs } from 'util';
import { CliError } from './errors';

export interface PlanOptions {
  readonly command: 'plan' | 'help' | 'version';
  readonly app: string;
  readonly stacks: readonly string[];
  readonly json: boolean;
  readonly detailedExitCode: boolean;
  readonly profile?: string;
  readonly region?: string;
}

export const USAGE = `Usage: cdk-provisioned-product-properties plan [--app DIR] [--stack PATTERN...] [--json] [--detailed-exitcode]
                                             [--profile NAME] [--region REGION]

Shows, for every declaration of a cloud assembly, the live OWNER and LAUNCH_ROLE of its provisioned
product against the declared ones, and what the deploy will do. Read-only.

Options:
  --app DIR             the cloud assembly folder "cdk synth" wrote (default: cdk.out)
  --stack PATTERN       stacks to plan, by hierarchical id or stack name; globs as the CDK CLI
                        ("Prod/*", "**"); repeat it, or list patterns after "plan"; default: all
  --json                one JSON document on stdout instead of the table
  --detailed-exitcode   exit 2 when any action is not "none" (0: all none, 1: error)
  --profile NAME        the AWS profile for credentials and region (default: the SDK's chain)
  --region REGION       the region of stacks whose env sets none (default: the SDK's chain)
  --help, --version
`;

export function parseCommandLine(argv: readonly string[]): PlanOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'app': { type: 'string', short: 'a' },
        'stack': { type: 'string', multiple: true },
        'json': { type: 'boolean', short: 'j' },
        'detailed-exitcode': { type: 'boolean' },
        'profile': { type: 'string' },
        'region': { type: 'string' },
        'help': { type: 'boolean', short: 'h' },
        'version': { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split(/\.\s/)[0]} (see --help)`);
  }
  const { values, positionals } = parsed;
  const base = {
    app: values.app ?? 'cdk.out', json: values.json === true, detailedExitCode: values['detailed-exitcode'] === true,
    profile: values.profile, region: values.region,
  };
  if (values.help) return { ...base, command: 'help', stacks: [] };
  if (values.version) return { ...base, command: 'version', stacks: [] };
  const [command, ...patterns] = positionals;
  if (command === undefined) throw new CliError('no command: the command is "plan" (see --help)');
  if (command !== 'plan') throw new CliError(`unknown command "${command}": the command is "plan" (see --help)`);
  for (const [name, value] of Object.entries({ app: values.app, profile: values.profile, region: values.region })) {
    if (value !== undefined && value.trim() === '') throw new CliError(`--${name} needs a value (see --help)`);
  }
  return { ...base, command: 'plan', stacks: [...values.stack ?? [], ...patterns] };
}
