/** The construct's side of the evidence features: driftMode's rules, the metrics and the alarm. */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DriftMetrics, DriftMode, EnforceProvisionedProductProperties, EnforcementMode, ProvisionedProductProperties } from '../../lib';
import { DRIFT_METRIC_NAMES, METRIC_NAMESPACE, STACK_NAME_DIMENSION } from '../../lib/shared/drift-metrics';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/Owner`;
const HOURLY = events.Schedule.rate(Duration.hours(1));
const newStack = (name = 'Evidence') => new Stack(new App(), name, { env: { account: ACCOUNT, region: 'us-east-1' } });

describe('driftMode', () => {
  test('without driftCorrection: refused, naming the prop and what to do', () => {
    expect(() => new ProvisionedProductProperties(newStack(), 'P', { provisionedProductId: 'pp-1', owner: OWNER, driftMode: DriftMode.REPORT }))
      .toThrow(/ProvisionedProductProperties at 'Evidence\/P': Invalid driftMode "REPORT": .*give driftCorrection/);
  });

  test('a value that is not a DriftMode: refused', () => {
    expect(() => new ProvisionedProductProperties(newStack(), 'P', {
      provisionedProductId: 'pp-1', owner: OWNER, driftCorrection: HOURLY, driftMode: 'AUTO' as DriftMode,
    })).toThrow(/Invalid driftMode "AUTO": expected DriftMode.CORRECT or DriftMode.REPORT/);
  });

  test('two modes in one stack: refused, as two schedules are (leaving it out is CORRECT)', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'A', { provisionedProductId: 'pp-1', owner: OWNER, driftCorrection: HOURLY, driftMode: DriftMode.REPORT });
    expect(() => new ProvisionedProductProperties(stack, 'B', { provisionedProductId: 'pp-2', owner: OWNER, driftCorrection: HOURLY }))
      .toThrow(/in driftMode REPORT, and another declaration asks for driftMode CORRECT/);
  });

  test('the Aspect in AUDIT mode refuses it, as every declaration prop', () => {
    expect(() => new EnforceProvisionedProductProperties({ mode: EnforcementMode.AUDIT, driftMode: DriftMode.REPORT })).toThrow(/driftMode/);
  });
});

describe('DriftMetrics', () => {
  test('each metric names the namespace, metric and StackName dimension the handler emits, Sum by default', () => {
    const stack = newStack('Metrics');
    const metrics = new DriftMetrics(stack);
    const cases: Array<[keyof typeof DRIFT_METRIC_NAMES, (m: DriftMetrics) => { namespace: string; metricName: string; dimensions?: unknown; statistic: string }]> = [
      ['detected', (m) => m.metricDriftDetected()], ['corrected', (m) => m.metricDriftCorrected()],
      ['failed', (m) => m.metricDriftCorrectionFailed()], ['pending', (m) => m.metricDriftPending()],
      ['payloadRefused', (m) => m.metricDriftPayloadRefused()],
    ];
    for (const [key, make] of cases) {
      const metric = make(metrics);
      expect(metric).toMatchObject({ namespace: METRIC_NAMESPACE, metricName: DRIFT_METRIC_NAMES[key], statistic: 'Sum' });
      expect(metric.dimensions).toEqual({ [STACK_NAME_DIMENSION]: 'Metrics' });
    }
    expect(metrics.metricDriftDetected({ period: Duration.hours(1), statistic: 'Maximum' })).toMatchObject({ statistic: 'Maximum' });
  });

  test('the alarm: any drift, any failure or refused run in a period, missing data not breaching, the topic notified', () => {
    const stack = newStack('Alarmed');
    const topic = new sns.Topic(stack, 'Topic');
    new DriftMetrics(stack).createAlarm(stack, 'DriftAlarm', { alarmTopic: topic, period: Duration.hours(1) });
    const metric = (id: string, name: string) => Match.objectLike({
      Id: id, MetricStat: Match.objectLike({
        Metric: { Namespace: METRIC_NAMESPACE, MetricName: name, Dimensions: [{ Name: STACK_NAME_DIMENSION, Value: 'Alarmed' }] },
        Period: 3600, Stat: 'Sum',
      }), ReturnData: false,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, EvaluationPeriods: 1, TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Topic') }],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(detected, 0) + FILL(failed, 0) + FILL(refused, 0)' }),
        metric('detected', DRIFT_METRIC_NAMES.detected), metric('failed', DRIFT_METRIC_NAMES.failed), metric('refused', DRIFT_METRIC_NAMES.payloadRefused),
      ]),
    });
  });

  test('the alarm without a topic has no action; without refused runs, two metrics', () => {
    const stack = newStack('Quiet');
    new DriftMetrics(stack).createAlarm(stack, 'DriftAlarm', { includePayloadRefused: false });
    const [alarm] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(alarm.Properties.AlarmActions).toBeUndefined();
    expect(alarm.Properties.Metrics.find((m: any) => m.Expression).Expression).toBe('FILL(detected, 0) + FILL(failed, 0)');
  });
});
