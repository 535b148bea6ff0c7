/**
 * Detection lag: the built asset inside aws-cdk-lib's provider-framework runtime (the e2e
 * FrameworkHarness) with the waiter settings of the synthesized state machine, against the local
 * Service Catalog fake, next to a baseline Provider with the framework's defaults (5 s interval,
 * 30 min) whose isComplete polls DescribeRecord once per invocation. Records of 0.3 s to 60 s are
 * measured in real time (lag-measure.ts): ours in this process while the baseline runs in a child
 * process (the harness patches the framework's module state, so one per process), each variant's
 * runs all at once. The 10-minute record is played in virtual time (lag-virtual.ts).
 */
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../lib';
import { HANDLER_ASSET_DIR } from '../lib/provider/handler-functions';
import { TemplateJson, resourceOf } from '../test/e2e/cloudformation-request';
import { waiterSettingsFromTemplate } from '../test/e2e/framework-harness';
import { bundleBaseline } from './baseline/provider';
import { Bundle } from './container-pool';
import { LagSetup, MEASURED, baselineSetup, measure } from './lag-measure';
import { LagSample, summarizeLag } from './lag-report';
import { baselineModel, runVirtual } from './lag-virtual';
import { SectionResult, stats } from './report';
import { ACCOUNT, OWNER, REGION, STACK_NAME, launchRoleArn, synthesize, tempOutdir } from './stacks';

/** Record lengths played in virtual time, and how many runs (random seeds) of each. */
export const VIRTUAL = [{ durationMs: 600_000, runs: 5 }];
/** The measured lengths are replayed in virtual time too, to check the virtual driver against the measurement. */
const VIRTUAL_CHECK_RUNS = 20;
/** The child's bound: the longest record, the warm-up and its own start. */
const CHILD_TIMEOUT_MS = 240_000;

/** The product id is a template parameter, as a user would deploy one template for many products. */
function oursSetup(): LagSetup {
  const { outdir, cleanup } = tempOutdir();
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, STACK_NAME, { env: { account: ACCOUNT, region: REGION } });
    new ProvisionedProductProperties(stack, 'Ownership', {
      provisionedProductId: new CfnParameter(stack, 'ProductId').valueAsString, owner: OWNER, launchRole: iam.Role.fromRoleArn(stack, 'Launch', launchRoleArn(1)),
    });
    const template = synthesize(app, stack).template as TemplateJson;
    return { template, resource: resourceOf(template) };
  } finally {
    cleanup();
  }
}

/**
 * The baseline's measured samples, from a child process running lag-measure.ts; `ready` resolves
 * once the child has started and is about to measure.
 */
function measureBaselineInChild(assetDir: string): { ready: Promise<void>; samples: Promise<LagSample[]> } {
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => { onReady = resolve; });
  const samples = new Promise<LagSample[]>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'lag-measure.ts'), assetDir], {
      cwd: path.join(__dirname, '..'), env: { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.startsWith('ready\n')) onReady();
    });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    const timer = setTimeout(() => child.kill(), CHILD_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('['));
      if (code === 0 && line) resolve(JSON.parse(line));
      else reject(new Error(`baseline lag measurement exited with ${code}: ${stderr.slice(-2000)}`));
      onReady();
    });
  });
  return { ready, samples };
}

export async function runDetectionLag(): Promise<Omit<SectionResult, 'wallMs'>> {
  const baselineDir = mkdtempSync(path.join(os.tmpdir(), 'ppp-bench-baseline-'));
  try {
    const ours = oursSetup();
    await bundleBaseline(baselineDir);
    const baseline = baselineSetup(baselineDir);
    const child = measureBaselineInChild(baselineDir);
    const bundle = new Bundle(path.join(HANDLER_ASSET_DIR, 'index.js'));
    await child.ready;
    const [oursSamples, baselineSamples] = await Promise.all([measure('ours', ours, bundle), child.samples]);
    const samples: LagSample[] = [...oursSamples, ...baselineSamples];

    const waiter = { ours: waiterSettingsFromTemplate(ours.template), baseline: waiterSettingsFromTemplate(baseline.template) };
    const isCompleteTimeoutMs = timeoutOf(ours.template, 'index.isComplete');
    const virtualSetup = { resource: ours.resource, waiter: waiter.ours, isCompleteTimeoutMs };
    // The baseline model's invocations last as long as the baseline's measured ones did.
    const measuredBaseline = baselineSamples.flatMap((s) => s.run.invocations);
    const medianMs = (handler: string) => stats(measuredBaseline.filter((i) => i.handler === handler).map((i) => i.end - i.start)).median;
    for (const { durationMs, runs } of VIRTUAL) {
      for (let seed = 1; seed <= runs; seed++) {
        samples.push({ variant: 'ours', durationMs, mode: 'virtual', run: await runVirtual(virtualSetup, durationMs, seed) });
      }
      samples.push({ variant: 'baseline', durationMs, mode: 'modelled',
        run: baselineModel(waiter.baseline, durationMs, medianMs('isComplete'), medianMs('onEvent')) });
    }
    const virtualCheck: LagSample[] = [];
    for (const { durationMs } of MEASURED) {
      for (let seed = 1; seed <= VIRTUAL_CHECK_RUNS; seed++) {
        virtualCheck.push({ variant: 'ours', durationMs, mode: 'virtual', run: await runVirtual(virtualSetup, durationMs, 1000 + seed) });
      }
    }
    return summarizeLag(samples, virtualCheck, {
      waiter, memory: { ours: memoryOf(ours.template), baseline: memoryOf(baseline.template) }, isCompleteTimeoutMs,
    });
  } finally {
    rmSync(baselineDir, { recursive: true, force: true });
  }
}

/** MemorySize of the handlers and of the framework's functions, by what they run. */
function memoryOf(template: TemplateJson): { handler: Record<string, number>; framework: number } {
  const fns = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => r.Properties as { Handler: string; MemorySize?: number });
  const handler = Object.fromEntries(fns.filter((p) => p.Handler.startsWith('index.')).map((p) => [p.Handler.slice('index.'.length), p.MemorySize ?? 128]));
  return { handler, framework: fns.find((p) => p.Handler === 'framework.isComplete')?.MemorySize ?? 128 };
}

function timeoutOf(template: TemplateJson, handler: string): number {
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Handler === handler);
  return Number((fn?.Properties as { Timeout?: number } | undefined)?.Timeout ?? 3) * 1000;
}
