import { compilePattern } from '../../shared/core/matching';
import { apiCallPattern } from '../../shared/core/kernel/patterns';
import { EC2_SOURCE, OPENSEARCH_SOURCE, WATCHED_SERVICE_SOURCES, sourceOf } from '../../shared/core/kernel/sources';
import { cloudTrailEvent } from './events';

describe('sources', () => {
  it('maps a CloudTrail eventSource to its EventBridge source', () => {
    expect(sourceOf(EC2_SOURCE)).toBe('aws.ec2');
    expect(sourceOf(OPENSEARCH_SOURCE)).toBe('aws.es');
    expect(sourceOf('ec2-instance-connect.amazonaws.com')).toBe('aws.ec2-instance-connect');
    expect(sourceOf('custom')).toBe('aws.custom');
  });

  it('watches each service once, as EventBridge names it', () => {
    expect(new Set(WATCHED_SERVICE_SOURCES).size).toBe(WATCHED_SERVICE_SOURCES.length);
    for (const source of WATCHED_SERVICE_SOURCES) expect(source).toMatch(/^aws\.[a-z0-9-]+$/);
  });
});

describe('apiCallPattern', () => {
  const pattern = compilePattern(apiCallPattern(EC2_SOURCE, ['RunInstances'], { requestParameters: { instanceType: ['t3.micro'] } }));
  const call = (detail: Record<string, unknown>) =>
    cloudTrailEvent({ eventSource: EC2_SOURCE, eventName: 'RunInstances', requestParameters: { instanceType: 't3.micro' }, ...detail });

  it('selects successful calls: CloudTrail writes no errorCode for them', () => {
    expect(pattern.matches(call({}))).toBe(true);
  });

  it('counts an empty errorCode, as flattening log pipelines write it, as success', () => {
    expect(pattern.matches(call({ errorCode: '' }))).toBe(true);
  });

  it('leaves out failed calls', () => {
    expect(pattern.matches(call({ errorCode: 'Client.UnauthorizedOperation' }))).toBe(false);
    expect(pattern.matches(call({ errorCode: 'AccessDenied' }))).toBe(false);
  });

  it('keeps to the source, detail-type, eventSource, eventName and extra detail conditions', () => {
    expect(pattern.matches(call({ eventName: 'TerminateInstances' }))).toBe(false);
    expect(pattern.matches(call({ requestParameters: { instanceType: 'p5.48xlarge' } }))).toBe(false);
    expect(
      pattern.matches(
        cloudTrailEvent(
          { eventSource: EC2_SOURCE, eventName: 'RunInstances', requestParameters: { instanceType: 't3.micro' } },
          { source: 'aws.s3' },
        ),
      ),
    ).toBe(false);
    expect(
      pattern.matches(
        cloudTrailEvent(
          { eventSource: EC2_SOURCE, eventName: 'RunInstances', requestParameters: { instanceType: 't3.micro' } },
          { 'detail-type': 'AWS Service Event via CloudTrail' },
        ),
      ),
    ).toBe(false);
  });

  it('is plain JSON, as EventBridge rules take it', () => {
    expect(apiCallPattern(EC2_SOURCE, ['RunInstances'])).toEqual({
      source: ['aws.ec2'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['ec2.amazonaws.com'], eventName: ['RunInstances'], errorCode: [{ exists: false }, ''] },
    });
  });
});
