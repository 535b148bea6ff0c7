/**
 * The baseline provider: bench/baseline/handler.ts bundled with esbuild (SDK inside, like ours)
 * into a default `cr.Provider` (the framework's 5 s interval and 30 minute total timeout; the
 * functions with a 1 minute timeout), with one custom resource per product declaring the same
 * owner and launch role as ours.
 */
import * as path from 'path';
import { App, CfnParameter, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { build } from 'esbuild';
import type { TemplateJson } from '../../test/e2e/cloudformation-request';
import { ACCOUNT, OWNER, REGION, STACK_NAME, synthesize, tempOutdir } from '../stacks';

/** Bundles the baseline handler into `assetDir`/index.js. */
export async function bundleBaseline(assetDir: string): Promise<void> {
  await build({
    entryPoints: [path.join(__dirname, 'handler.ts')],
    outfile: path.join(assetDir, 'index.js'),
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
    supported: { 'dynamic-import': false },
  });
}

/** A product as the baseline declares it: a literal id, or the stack's ProductId parameter. */
export type BaselineProduct = { readonly productId: string } | { readonly parameter: true };

/** Synthesizes a stack with one baseline custom resource per product, all on one launch role; returns its template. */
export function baselineTemplate(assetDir: string, products: readonly BaselineProduct[], launchRoleArn: string): TemplateJson {
  const { outdir, cleanup } = tempOutdir();
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, STACK_NAME, { env: { account: ACCOUNT, region: REGION } });
    // A minute, not Lambda's default of 3 s, which would time onEvent out while the SDK backs off a throttled call.
    const fn = (name: string) => new lambda.Function(stack, name, {
      runtime: lambda.Runtime.NODEJS_22_X, handler: `index.${name}`, code: lambda.Code.fromAsset(assetDir), timeout: Duration.minutes(1),
    });
    const provider = new cr.Provider(stack, 'P', { onEventHandler: fn('onEvent'), isCompleteHandler: fn('isComplete') });
    products.forEach((product, i) => {
      const id = 'parameter' in product ? new CfnParameter(stack, 'ProductId').valueAsString : product.productId;
      new CustomResource(stack, products.length === 1 ? 'Ownership' : `Ownership${i}`, {
        serviceToken: provider.serviceToken, resourceType: 'Custom::ProvisionedProductProperties',
        properties: { ProvisionedProductId: id, Owner: OWNER, LaunchRoleArn: launchRoleArn },
      });
    });
    return synthesize(app, stack).template;
  } finally {
    cleanup();
  }
}
