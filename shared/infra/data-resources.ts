/**
 * Where the stack keeps and sends its data: the customer managed key that encrypts everything, the
 * findings table, the findings and operations topics, and the dead-letter queues of the rules and
 * of the functions' failed invocations, each with a resource policy that admits only its writers.
 */
import { FINDINGS_TABLE_DEFINITION, FINDINGS_TABLE_TIME_TO_LIVE } from '../adapters/store/dynamodb/table';
import { arnOf, denyInsecureTransport, type Json, type Resource, ref, sub } from './cloudformation';

/** The longest a message can wait in the dead-letter queues: SQS's maximum retention, 14 days. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

/** The dead-letter queues whose depth is alarmed on (replayed by hand once the cause is fixed). */
export const DEAD_LETTER_QUEUES = ['RuleDeadLetterQueue', 'FailedInvocationsQueue'] as const;

/**
 * The stack's key (rotated yearly, retained when the stack goes): the account administers it
 * through IAM; EventBridge, CloudWatch Logs and CloudWatch alarms of this account may use it.
 */
export function keyResources(): Record<string, Resource> {
  return {
    TrailwardenKey: {
      Type: 'AWS::KMS::Key',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Description: 'trailwarden: findings table, topics and queues',
        EnableKeyRotation: true,
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            // The default key policy statement: the account administers the key through IAM policies.
            {
              Sid: 'AccountAdministersThroughIam',
              Effect: 'Allow',
              Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Sid: 'EventBridgeWritesDeadLetters',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
              Resource: '*',
              Condition: { StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') } },
            },
            {
              // CloudWatch Logs encrypts the stack's log groups (functions and API access logs) with the key.
              Sid: 'CloudWatchLogsEncryptLogGroups',
              Effect: 'Allow',
              Principal: { Service: sub('logs.${AWS::Region}.amazonaws.com') },
              Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
              Resource: '*',
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*'),
                },
              },
            },
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
              Resource: '*',
              Condition: { StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') } },
            },
          ],
        },
      },
    },
    TrailwardenKeyAlias: {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: sub('alias/${AWS::StackName}'), TargetKeyId: ref('TrailwardenKey') },
    },
  };
}

/** The findings table (docs/dynamodb-table.md): encrypted with the key, recoverable, protected from deletion and retained. */
export function findingsTableResources(): Record<string, Resource> {
  return {
    FindingsTable: {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        ...structuredClone(FINDINGS_TABLE_DEFINITION),
        TimeToLiveSpecification: { ...FINDINGS_TABLE_TIME_TO_LIVE },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf('TrailwardenKey') },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    },
  };
}

/**
 * The findings topic, which only `publisherRoleArns` (the roles of the functions that publish
 * findings) may publish to, and the operations topic, which receives the stack's own alarms.
 */
export function topicResources(publisherRoleArns: readonly Json[]): Record<string, Resource> {
  const publishers = [...publisherRoleArns];
  return {
    FindingsTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: { DisplayName: 'trailwarden findings', KmsMasterKeyId: arnOf('TrailwardenKey') },
    },
    FindingsTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [ref('FindingsTopic')],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AreaFunctionsPublish',
              Effect: 'Allow',
              Principal: { AWS: publishers },
              Action: 'sns:Publish',
              Resource: ref('FindingsTopic'),
            },
            {
              Sid: 'NobodyElsePublishes',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: ref('FindingsTopic'),
              Condition: { ArnNotEquals: { 'aws:PrincipalArn': publishers } },
            },
            denyInsecureTransport('sns:Publish', ref('FindingsTopic')),
          ],
        },
      },
    },
    OperationsTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: { DisplayName: 'trailwarden operations alarms', KmsMasterKeyId: arnOf('TrailwardenKey') },
    },
    OperationsTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [ref('OperationsTopic')],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'StackAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: ref('OperationsTopic'),
              Condition: { StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') } },
            },
            denyInsecureTransport('sns:Publish', ref('OperationsTopic')),
          ],
        },
      },
    },
  };
}

/** A queue encrypted with the stack's key that keeps its messages as long as SQS allows. */
function encryptedQueue(description: string): Resource {
  return {
    Type: 'AWS::SQS::Queue',
    Properties: {
      KmsMasterKeyId: ref('TrailwardenKey'),
      KmsDataKeyReusePeriodSeconds: 3600,
      MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS,
      Tags: [{ Key: 'trailwarden:purpose', Value: description }],
    },
  };
}

/**
 * The dead-letter queues: events EventBridge could not deliver (only the stack's rules, `ruleIds`,
 * may send there) and invocations a function failed on after its retries.
 */
export function queueResources(ruleIds: readonly string[]): Record<string, Resource> {
  return {
    RuleDeadLetterQueue: encryptedQueue('events EventBridge could not deliver to an area function'),
    FailedInvocationsQueue: encryptedQueue('events an area function failed on after its retries'),
    RuleDeadLetterQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [ref('RuleDeadLetterQueue')],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'StackRulesDeadLetter',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: arnOf('RuleDeadLetterQueue'),
              Condition: { ArnEquals: { 'aws:SourceArn': ruleIds.map((ruleId) => arnOf(ruleId)) } },
            },
            denyInsecureTransport('sqs:*', arnOf('RuleDeadLetterQueue')),
          ],
        },
      },
    },
    FailedInvocationsQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [ref('FailedInvocationsQueue')],
        PolicyDocument: { Version: '2012-10-17', Statement: [denyInsecureTransport('sqs:*', arnOf('FailedInvocationsQueue'))] },
      },
    },
  };
}
