/**
 * What EventBridge delivers to a rule target, played from the synthesized template: the target's
 * InputTransformer template with its InputPathsMap filled in from a scheduled event. Tests build
 * the drift-correction event with this, never by hand, so that they see what the function sees.
 */
import { randomUUID } from 'crypto';
import { Template } from 'aws-cdk-lib/assertions';

/** One rule target's input transformer, as synthesized. */
export interface TargetInput {
  readonly inputPathsMap: Record<string, string>;
  /** The InputTemplate; it must be a literal string (no deploy-time values) to be delivered. */
  readonly inputTemplate: string;
}

/** A scheduled event as EventBridge sends it ("Scheduled Event", source aws.events). */
export function scheduledEvent(overrides: { id?: string; time?: string; ruleArn?: string } = {}): Record<string, unknown> {
  return {
    'version': '0',
    'id': overrides.id ?? randomUUID(),
    'detail-type': 'Scheduled Event',
    'source': 'aws.events',
    'account': '123456789012',
    'time': overrides.time ?? new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString().replace('.000Z', 'Z'),
    'region': 'us-east-1',
    'resources': [overrides.ruleArn ?? 'arn:aws:events:us-east-1:123456789012:rule/Drift-DriftCorrectionRule'],
    'detail': {},
  };
}

/** The input transformer of every target of the template's only EventBridge rule. */
export function ruleTargetInputs(template: Template): TargetInput[] {
  const rules = Object.values(template.findResources('AWS::Events::Rule')) as any[];
  if (rules.length !== 1) throw new Error(`expected one EventBridge rule, found ${rules.length}`);
  return rules[0].Properties.Targets.map((target: any, i: number) => {
    if (target.Input !== undefined || target.InputTransformer === undefined) {
      throw new Error(`target ${i} has a constant Input: EventBridge would pass it nothing of the event`);
    }
    const { InputPathsMap: inputPathsMap, InputTemplate: inputTemplate } = target.InputTransformer;
    if (typeof inputTemplate !== 'string') throw new Error(`target ${i}'s InputTemplate has deploy-time values: ${JSON.stringify(inputTemplate)}`);
    return { inputPathsMap, inputTemplate };
  });
}

/**
 * The input EventBridge hands the target for `event`: each `<key>` of the template replaced by
 * the value at its path, as JSON where it stands outside a string (a string value gets its
 * quotes) and as text inside one. A path the event lacks is null outside a string (this helper's reading; the tests never need it).
 */
export function deliver(target: TargetInput, event: Record<string, unknown>): Record<string, unknown> {
  let output = target.inputTemplate;
  for (const [key, path] of Object.entries(target.inputPathsMap)) {
    const value = valueAt(event, path);
    output = output
      .replace(new RegExp(`"<${key}>"`, 'g'), JSON.stringify(value === undefined ? '' : String(value)))
      .replace(new RegExp(`<${key}>`, 'g'), value === undefined ? 'null' : JSON.stringify(value));
  }
  return JSON.parse(output);
}

/** `$.a.b` in dot notation, as EventBridge's InputPathsMap takes it. */
function valueAt(event: Record<string, unknown>, path: string): unknown {
  if (!path.startsWith('$.')) throw new Error(`not a JSON path of dot notation: ${path}`);
  return path.slice(2).split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], event);
}
