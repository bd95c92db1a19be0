/**
 * The CloudFormation template a member account deploys (in every region it uses; as a StackSet
 * from the management or delegated administrator account): rules on its default bus forwarding
 * the events the controls read to the central organization bus, through a role the organization
 * bus admits by name; optionally, a trail logging the S3 object-level calls the data.s3-* controls
 * read.
 *
 * Its size matters: `aws cloudformation create-stack-set --template-body` takes at most 51,200
 * bytes (AWS CloudFormation API Reference, CreateStackSet, TemplateBody), so the rules are few and
 * dense (rule-patterns.ts), what every rule repeats is short, and the file is written compactly
 * (template-json.ts); a minified copy serves `--template-url`.
 */
import type { Area } from '../core/model/area';
import type { Control } from '../core/model/control';
import { arnOf, denyInsecureTransport, type Json, type Resource, ref, sub } from './cloudformation';
import { DEAD_LETTER_RETENTION_SECONDS } from './data-resources';
import { FORWARDER_ROLE_PREFIX, RULE_RETRY_POLICY, ruleStateFor } from './event-rules';

import { DEFAULT_MAX_PATTERN_CHARS, rulePatternsFor } from './rule-patterns';

/** The role EventBridge assumes to put the forwarded events on the organization bus, and nowhere else. */
function forwarderRole(): Resource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: sub(`${FORWARDER_ROLE_PREFIX}\${AWS::Region}`),
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'PutEventsOnTheOrganizationBus',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: ref('CentralEventBusArn') }],
          },
        },
      ],
    },
  };
}

/** Values of the S3DataEvents parameter: no trail (the default), a trail for every bucket, or for the listed buckets. */
export const S3_DATA_EVENTS_CHOICES = ['none', 'all-buckets', 'listed-buckets'] as const;

/**
 * The optional trail for S3 object-level (data) events. CloudTrail delivers data events to
 * EventBridge only for what a trail logs, and no trail logs them by default: the data.s3-* object
 * controls (PutObject, CopyObject, CreateMultipartUpload, UploadPartCopy, PutObjectAcl) see nothing
 * without one. Most organizations log them in their organization trail; for those that do not, this
 * single-region trail logs only S3 object writes (advanced event selector: eventCategory = Data,
 * resources.type = AWS::S3::Object, readOnly = false; optionally resources.ARN starting with the
 * listed bucket prefixes), no management events, into an existing log bucket whose policy admits
 * CloudTrail. Field names: AWS CloudFormation Template Reference, AWS::CloudTrail::Trail
 * AdvancedEventSelector and AdvancedFieldSelector. Data events are billed per event.
 */
function s3DataEventsParameters(): Record<string, Json> {
  return {
    S3DataEvents: {
      Type: 'String',
      Description: 'Create a trail logging S3 object writes (data events, billed per event) for the data.s3-* object controls',
      AllowedValues: [...S3_DATA_EVENTS_CHOICES],
      Default: 'none',
    },
    S3DataEventsBuckets: {
      Type: 'CommaDelimitedList',
      Description: 'With listed-buckets: object ARN prefixes to log, e.g. arn:aws:s3:::my-bucket/',
      Default: '',
    },
    S3DataEventsLogBucket: {
      Type: 'String',
      Description: 'With a trail: the existing S3 bucket it writes to (its policy must admit CloudTrail)',
      Default: '',
    },
  };
}

function s3DataEventsTrail(): Record<string, Resource> {
  const selectors: Json[] = [
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
    { Field: 'readOnly', Equals: ['false'] },
    { 'Fn::If': ['S3DataEventsListed', { Field: 'resources.ARN', StartsWith: ref('S3DataEventsBuckets') }, ref('AWS::NoValue')] },
  ];
  return {
    S3DataEventsTrail: {
      Type: 'AWS::CloudTrail::Trail',
      Condition: 'S3DataEventsOn',
      Properties: {
        IsLogging: true,
        S3BucketName: ref('S3DataEventsLogBucket'),
        IsMultiRegionTrail: false,
        IncludeGlobalServiceEvents: false,
        AdvancedEventSelectors: [{ Name: 'S3 object writes the trailwarden controls read', FieldSelectors: selectors }],
      },
    },
  };
}

/** The member-account template: the forwarding rules for every control of every area, their role and dead-letter queue. */
export function buildMemberTemplate(
  controlsByArea: Readonly<Record<Area, readonly Control[]>>,
  maxPatternChars = DEFAULT_MAX_PATTERN_CHARS,
): Record<string, Json> {
  const all = Object.values(controlsByArea).flat();
  const rules = rulePatternsFor(all, maxPatternChars);
  const resources: Record<string, Resource> = {
    ForwarderRole: forwarderRole(),
    ForwarderDeadLetterQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS },
    },
  };
  rules.forEach((pattern, index) => {
    resources[`ForwardRule${index + 1}`] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: `trailwarden forwarding ${index + 1}/${rules.length}`,
        EventPattern: pattern,
        State: ruleStateFor(pattern),
        Targets: [
          {
            Id: 'trailwarden-organization-bus',
            Arn: ref('CentralEventBusArn'),
            RoleArn: arnOf('ForwarderRole'),
            RetryPolicy: { ...RULE_RETRY_POLICY },
            DeadLetterConfig: { Arn: arnOf('ForwarderDeadLetterQueue') },
          },
        ],
      },
    };
  });
  resources.ForwarderDeadLetterQueuePolicy = {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: [ref('ForwarderDeadLetterQueue')],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ForwardRulesDeadLetter',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: arnOf('ForwarderDeadLetterQueue'),
            // The rules of this account and region (listing each rule's ARN would cost the template
            // a few hundred bytes per rule).
            Condition: { ArnLike: { 'aws:SourceArn': sub('arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*') } },
          },
          denyInsecureTransport('sqs:*', arnOf('ForwarderDeadLetterQueue')),
        ],
      },
    },
  };
  Object.assign(resources, s3DataEventsTrail());
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'trailwarden member account: forwards CloudTrail and service events to the organization event bus',
    Parameters: {
      CentralEventBusArn: {
        Type: 'String',
        Description: 'OrganizationEventBusArn output of the trailwarden stack',
        AllowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/.+$',
      },
      ...s3DataEventsParameters(),
    },
    Conditions: {
      S3DataEventsOn: { 'Fn::Not': [{ 'Fn::Equals': [ref('S3DataEvents'), 'none'] }] },
      S3DataEventsListed: { 'Fn::Equals': [ref('S3DataEvents'), 'listed-buckets'] },
    },
    Resources: resources,
  };
}
