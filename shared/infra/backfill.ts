/**
 * The backfill of CloudTrail history in AWS: a Step Functions state machine whose distributed map
 * lists the trail bucket under one prefix (the execution's input), hands the objects in batches to
 * the `backfill` function, and writes what the map run did — the failed batches above all — to the
 * answers bucket under `backfill/`. `trailwarden backfill` (shared/shells/cli/backfill-command.ts)
 * starts one execution per account/Region prefix.
 *
 * Field names, from the Step Functions developer guide:
 * - the Map state in distributed mode: `ItemProcessor.ProcessorConfig` `{ Mode: DISTRIBUTED, ExecutionType }`,
 *   `ItemReader`, `ItemBatcher`, `MaxConcurrency`, `ToleratedFailurePercentage`, `Label`, `ResultWriter`
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html);
 * - `ItemReader` over S3 objects: `Resource` `arn:aws:states:::s3:listObjectsV2`, `Parameters` `{ Bucket, Prefix }`
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html);
 * - `ItemBatcher`: `MaxItemsPerBatch`, `MaxInputBytesPerBatch` (at most 256 KiB, the limit of an execution's input),
 *   `BatchInput`; a batch reaches the child execution as `{ "Items": [...], "BatchInput": {...} }`
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html);
 * - `ResultWriter`: `Resource` `arn:aws:states:::s3:putObject`, `Parameters` `{ Bucket, Prefix }`: a manifest and
 *   the SUCCEEDED/FAILED/PENDING files of the child executions
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
 *
 * Child executions are STANDARD: a batch may take the function's whole timeout (five minutes) and then be retried
 * with back-off, longer than the five minutes an EXPRESS execution may last; STANDARD runs each child exactly once
 * (EXPRESS: at least once), so a batch's summary in the results is the one run.
 *
 * The state machine role, as the guide's least-privilege example for a distributed map
 * (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html): states:StartExecution on
 * the state machine itself (the child executions), states:DescribeExecution and states:StopExecution on its
 * executions (`execution:<name>/*`); s3:ListBucket on the trail bucket only where `s3:prefix` starts with the trail
 * prefix (the condition key of ListBucket, https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html);
 * s3:PutObject, s3:GetObject, s3:ListMultipartUploadParts and s3:AbortMultipartUpload under the results prefix (the
 * ResultWriter example of the same page), with the stack key the answers bucket is encrypted with; and
 * lambda:InvokeFunction on the backfill function only. The state machine's name is fixed so its ARN can be
 * written in its own role without a circular reference.
 *
 * Enabled by the `TrailBucketName` parameter (empty: no state machine); `TrailKmsKeyArn` when the trail's objects
 * are encrypted with SSE-KMS (the function may then decrypt with that key only).
 */
import type { Settings } from '../core/settings/settings';
import { arnOf, functionLogicalId, type Json, type Resource, ref, roleLogicalId, sub } from './cloudformation';
import { lambdaFunction, type ServerlessFunction, TABLE_ACCESS } from './functions';

/** Where the map run's results go in the answers bucket. */
export const BACKFILL_RESULTS_PREFIX = 'backfill/';
/** An execution's input (and so a batch) is at most 256 KiB. */
export const MAX_INPUT_BYTES_PER_BATCH = 256 * 1024;
/** The backfill function's timeout, in seconds. */
export const BACKFILL_TIMEOUT_SECONDS = 300;
/** The state machine's name after the stack's: its ARN is known before it exists. */
export const BACKFILL_STATE_MACHINE_NAME = '${AWS::StackName}-backfill';
const STATE_MACHINE_ARN = `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${BACKFILL_STATE_MACHINE_NAME}`;
const EXECUTIONS_ARN = `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${BACKFILL_STATE_MACHINE_NAME}/*`;

/** The stack parameters naming the trail. */
export const BACKFILL_PARAMETERS: Record<string, Json> = {
  TrailBucketName: {
    Type: 'String',
    Default: '',
    Description: 'The bucket CloudTrail delivers to, for `trailwarden backfill` (empty: no backfill state machine)',
    AllowedPattern: '^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
  },
  TrailPrefix: {
    Type: 'String',
    Default: 'AWSLogs/',
    Description: 'The key prefix the trail delivers under (the backfill reads nothing else)',
  },
  TrailKmsKeyArn: {
    Type: 'String',
    Default: '',
    Description: "The KMS key the trail's objects are encrypted with (empty: SSE-S3)",
  },
};

/** The conditions the backfill's resources are created under. */
export const BACKFILL_CONDITIONS: Record<string, Json> = {
  HasTrailBucket: { 'Fn::Not': [{ 'Fn::Equals': [ref('TrailBucketName'), ''] }] },
  HasTrailKmsKey: { 'Fn::And': [{ Condition: 'HasTrailBucket' }, { 'Fn::Not': [{ 'Fn::Equals': [ref('TrailKmsKeyArn'), ''] }] }] },
};

/** Errors of the Lambda service worth retrying (the guide's recommended Retry for a Lambda task), and a batch's own store failure. */
export const BACKFILL_RETRY = [
  {
    ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
  },
  { ErrorEquals: ['BackfillStoreError'], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 2 },
];

/**
 * The state machine's definition (JSONPath). `${BackfillFunctionArn}` and `${ResultsBucket}` are
 * DefinitionSubstitutions. The execution's input: `{ bucket, prefix, since, until }` (RFC 3339 times).
 */
export function backfillDefinition(settings: Pick<Settings, 'backfill'>): Record<string, Json> {
  return {
    Comment: 'trailwarden backfill: CloudTrail objects under a prefix, evaluated in batches by the backfill function',
    StartAt: 'Backfill',
    States: {
      Backfill: {
        Type: 'Map',
        Label: 'backfill',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:listObjectsV2',
          Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
        },
        ItemBatcher: {
          MaxItemsPerBatch: settings.backfill.maxItemsPerBatch,
          MaxInputBytesPerBatch: MAX_INPUT_BYTES_PER_BATCH,
          BatchInput: { 'bucket.$': '$.bucket', 'since.$': '$.since', 'until.$': '$.until' },
        },
        MaxConcurrency: settings.backfill.maxConcurrency,
        ToleratedFailurePercentage: settings.backfill.toleratedFailurePercentage,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'EvaluateBatch',
          States: {
            EvaluateBatch: {
              Type: 'Task',
              // The function's ARN as the resource: the function receives the batch exactly as the map sends it.
              Resource: '${BackfillFunctionArn}',
              Retry: BACKFILL_RETRY,
              End: true,
            },
          },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: '${ResultsBucket}', Prefix: BACKFILL_RESULTS_PREFIX },
        },
        End: true,
      },
    },
  };
}

/** The backfill function: one batch of trail objects per invocation, findings recorded, nothing published. */
export function backfillFunction(settings: Settings): ServerlessFunction {
  return lambdaFunction('backfill', {
    description: 'trailwarden backfill: evaluates a batch of CloudTrail log objects from the trail bucket, records findings',
    memorySize: 1024,
    timeout: BACKFILL_TIMEOUT_SECONDS,
    settings,
    // Its cap, so a backfill never takes the concurrency of the area functions (and its floor).
    reservedConcurrency: settings.backfill.maxConcurrency,
    // The trail bucket's statements are conditional: BackfillTrailReadPolicy and BackfillTrailKeyPolicy.
    iamRoleStatements: [TABLE_ACCESS],
  });
}

/** The state machine statements, exactly (tests compare them). */
export function stateMachineStatements(): Json[] {
  return [
    { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [arnOf(functionLogicalId('backfill'))] },
    {
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [sub('arn:${AWS::Partition}:s3:::${TrailBucketName}')],
      Condition: { StringLike: { 's3:prefix': [sub('${TrailPrefix}*')] } },
    },
    {
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      Resource: [sub(`\${AnswersBucket.Arn}/${BACKFILL_RESULTS_PREFIX}*`)],
    },
    { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [arnOf('TrailwardenKey')] },
    { Effect: 'Allow', Action: ['states:StartExecution'], Resource: [sub(STATE_MACHINE_ARN)] },
    { Effect: 'Allow', Action: ['states:DescribeExecution', 'states:StopExecution'], Resource: [sub(EXECUTIONS_ARN)] },
  ];
}

/** The state machine, its role, and the function's conditional access to the trail. */
export function backfillResources(settings: Pick<Settings, 'backfill'>): Record<string, Resource> {
  const functionRole = ref(roleLogicalId('backfill'));
  return {
    BackfillStateMachineRole: {
      Type: 'AWS::IAM::Role',
      Condition: 'HasTrailBucket',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [{ PolicyName: 'backfill', PolicyDocument: { Version: '2012-10-17', Statement: stateMachineStatements() } }],
      },
    },
    BackfillStateMachine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Condition: 'HasTrailBucket',
      Properties: {
        StateMachineName: sub(BACKFILL_STATE_MACHINE_NAME),
        StateMachineType: 'STANDARD',
        RoleArn: arnOf('BackfillStateMachineRole'),
        Definition: backfillDefinition(settings),
        DefinitionSubstitutions: { BackfillFunctionArn: arnOf(functionLogicalId('backfill')), ResultsBucket: ref('AnswersBucket') },
        TracingConfiguration: { Enabled: true },
      },
    },
    // The function reads trail objects under the prefix, nothing else of the bucket.
    BackfillTrailReadPolicy: {
      Type: 'AWS::IAM::Policy',
      Condition: 'HasTrailBucket',
      Properties: {
        PolicyName: 'backfill-trail-read',
        Roles: [functionRole],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [sub('arn:${AWS::Partition}:s3:::${TrailBucketName}/${TrailPrefix}*')] },
          ],
        },
      },
    },
    // SSE-KMS trail objects: GetObject needs kms:Decrypt on their key, that key only.
    BackfillTrailKeyPolicy: {
      Type: 'AWS::IAM::Policy',
      Condition: 'HasTrailKmsKey',
      Properties: {
        PolicyName: 'backfill-trail-key',
        Roles: [functionRole],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [ref('TrailKmsKeyArn')] }],
        },
      },
    },
  };
}

/** The stack's outputs for the CLI. */
export const BACKFILL_OUTPUTS: Record<string, Json> = {
  BackfillStateMachineArn: {
    Condition: 'HasTrailBucket',
    Description: 'trailwarden backfill --state-machine <this>',
    Value: ref('BackfillStateMachine'),
  },
};
