/**
 * Runs a cdk-nag pack over an app and lists its unacknowledged findings as
 * `<severity> <rule>[<finding>] at <construct path>`, with cdk-nag v2 (an Aspect that annotates,
 * reading the `cdk_nag` template metadata: aws-cdk-lib below 2.257) and with cdk-nag v3 (a
 * validation plugin reading `Validations` acknowledgements). `npm test` runs v2 against the
 * aws-cdk-lib floor, and `.ci/run` runs the same tests with v3 against the newest aws-cdk-lib.
 */
import { App, Aspects, IAspect } from 'aws-cdk-lib';

interface Violation { ruleName: string; severity: string; violatingResources: { constructPath: string }[] }
interface NagPackV3 { validateScope(scope: App): { violations: Violation[] } }
/** A cdk-nag pack class: `new Pack(props)` in v2, `new Pack(scope?, props?)` in v3. */
export type NagPackClass = new (...args: never[]) => object;

export function nagFindings(app: App, Pack: NagPackClass): string[] {
  const construct = Pack as unknown as new (...args: unknown[]) => object;
  const v3 = construct.prototype && typeof (construct.prototype as Partial<NagPackV3>).validateScope === 'function';
  if (v3) {
    app.synth(); // runs the Aspects, so the enforcement Aspect's declarations exist too
    const report = (new construct(undefined, { verbose: false }) as NagPackV3).validateScope(app);
    return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`)).sort();
  }
  Aspects.of(app).add(new construct({ verbose: false }) as IAspect);
  const assembly = app.synth();
  const findings: string[] = [];
  for (const stack of assembly.stacksRecursively) {
    for (const message of stack.messages) {
      const rule = /^([A-Za-z0-9.-]+-[A-Za-z0-9.]+(?:\[[^\]]*\])?):/.exec(String(message.entry.data));
      if (rule && (message.level === 'error' || message.level === 'warning')) {
        // v2 names the resource's path with a leading '/', v3 without: the v3 form is used.
        findings.push(`${message.level} ${rule[1]} at ${message.id.replace(/^\//, '')}`);
      }
    }
  }
  return [...new Set(findings)].sort();
}
