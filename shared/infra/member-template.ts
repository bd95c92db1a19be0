/**
 * The CloudFormation template a member account deploys (in every region it uses; as a StackSet
 * from the management or delegated administrator account): rules on its default bus forwarding
 * the events the controls read to the central organization bus. Cross-account bus targets need a
 * role that may put events on the target bus.
 */
import type { Area } from '../core/model/area';
import type { Control } from '../core/model/control';
import { arnOf, denyInsecureTransport, type Json, type Resource, ref, sub } from './cloudformation';
import { DEAD_LETTER_RETENTION_SECONDS } from './data-resources';
import { RULE_RETRY_POLICY, ruleStateFor } from './event-rules';
import { DEFAULT_MAX_PATTERN_CHARS, rulePatternsFor } from './rule-patterns';

/** The role EventBridge assumes to put the forwarded events on the organization bus, and nowhere else. */
function forwarderRole(): Resource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
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
  const ruleIds: string[] = [];
  rules.forEach((pattern, index) => {
    const ruleId = `ForwardRule${index + 1}`;
    ruleIds.push(ruleId);
    resources[ruleId] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: `trailwarden: forward the events its controls read to the organization bus (${index + 1}/${rules.length})`,
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
            Condition: { ArnEquals: { 'aws:SourceArn': ruleIds.map((ruleId) => arnOf(ruleId)) } },
          },
          denyInsecureTransport('sqs:*', arnOf('ForwarderDeadLetterQueue')),
        ],
      },
    },
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'trailwarden member account: forwards CloudTrail and service events to the organization event bus',
    Parameters: {
      CentralEventBusArn: {
        Type: 'String',
        Description: 'OrganizationEventBusArn output of the trailwarden stack',
        AllowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/.+$',
      },
    },
    Resources: resources,
  };
}
