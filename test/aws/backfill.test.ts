/**
 * The backfill state machine in the stack (shared/infra/backfill.ts), read from `buildStack` — the data
 * serverless.yml deploys: a distributed map over the trail prefix whose definition asl-validator accepts,
 * the backfill settings applied, and least-privilege roles, statement by statement.
 */
import { controlsByArea } from '../../shared/infra/serverless-config';
import { buildStack } from '../../shared/infra/stack';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';
import { validateSettings } from '../../shared/core/settings/validate-settings';

// biome-ignore lint/suspicious/noExplicitAny: template properties are walked as untyped JSON.
type Json = any;
const validator = require('asl-validator') as (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };

const stackOf = (settings: Settings) => buildStack({ controlsByArea: controlsByArea(), settings });
const stack = stackOf(DEFAULT_SETTINGS);
const resources = stack.resources.Resources as Record<string, { Type: string; Condition?: string; Properties: Json }>;
const machine = resources.BackfillStateMachine!;
const definition = machine.Properties.Definition;
const map = definition.States[definition.StartAt];

/** The definition as deployed: the substitutions replaced by values of their shape. */
function substituted(value: Json): Json {
  const text = JSON.stringify(value)
    .replaceAll('${BackfillFunctionArn}', 'arn:aws:lambda:us-east-1:111122223333:function:trailwarden-prod-backfill')
    .replaceAll('${ResultsBucket}', 'trailwarden-prod-answersbucket-1a2b3c');
  return JSON.parse(text);
}

describe('the backfill state machine', () => {
  it('is a STANDARD state machine with a role, created only when a trail bucket is named', () => {
    expect(machine.Type).toBe('AWS::StepFunctions::StateMachine');
    expect(machine.Condition).toBe('HasTrailBucket');
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(machine.Properties.RoleArn).toEqual({ 'Fn::GetAtt': ['BackfillStateMachineRole', 'Arn'] });
    expect(machine.Properties.DefinitionSubstitutions).toEqual({
      BackfillFunctionArn: { 'Fn::GetAtt': ['BackfillLambdaFunction', 'Arn'] },
      ResultsBucket: { Ref: 'AnswersBucket' },
    });
    expect(stack.resources.Conditions.HasTrailBucket).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'TrailBucketName' }, ''] }] });
    expect((stack.resources.Parameters as Json).TrailPrefix.Default).toBe('AWSLogs/');
    expect((stack.resources.Parameters as Json).TrailKmsKeyArn.Default).toBe('');
  });

  it('has a definition asl-validator accepts, and asl-validator refuses a broken one', () => {
    const result = validator(substituted(definition));
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
    const broken = substituted(definition);
    broken.States.Backfill.ItemProcessor.ProcessorConfig.Mode = 'SIDEWAYS';
    expect(validator(broken).isValid).toBe(false);
  });

  it('maps over the objects of the prefix the execution names, in batches carrying the period', () => {
    expect(map.Type).toBe('Map');
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:listObjectsV2',
      Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
    });
    expect(map.ItemBatcher).toEqual({
      MaxItemsPerBatch: 20,
      MaxInputBytesPerBatch: 262_144,
      BatchInput: { 'bucket.$': '$.bucket', 'since.$': '$.since', 'until.$': '$.until' },
    });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    const task = map.ItemProcessor.States[map.ItemProcessor.StartAt];
    expect(task).toMatchObject({ Type: 'Task', Resource: '${BackfillFunctionArn}', End: true });
    expect(task.Retry.flatMap((retry: Json) => retry.ErrorEquals)).toEqual([
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'BackfillStoreError',
    ]);
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: '${ResultsBucket}', Prefix: 'backfill/' },
    });
  });

  it('applies the backfill settings: concurrency (the function reserves as much), tolerated failures, batch size', () => {
    expect(map.MaxConcurrency).toBe(10);
    expect(map.ToleratedFailurePercentage).toBe(5);
    expect(stack.functions.backfill!.reservedConcurrency).toBe(10);
    const custom = stackOf({ ...DEFAULT_SETTINGS, backfill: { maxConcurrency: 40, toleratedFailurePercentage: 0, maxItemsPerBatch: 5 } });
    const customMap = (custom.resources.Resources.BackfillStateMachine!.Properties as Json).Definition.States.Backfill;
    expect([customMap.MaxConcurrency, customMap.ToleratedFailurePercentage, customMap.ItemBatcher.MaxItemsPerBatch]).toEqual([40, 0, 5]);
    expect(custom.functions.backfill!.reservedConcurrency).toBe(40);
  });

  it('validates the backfill settings, naming the key path', () => {
    const ids = new Set<string>();
    expect(validateSettings({ backfill: { maxConcurrency: 50 } }, ids).settings?.backfill).toEqual({
      maxConcurrency: 50,
      toleratedFailurePercentage: 5,
      maxItemsPerBatch: 20,
    });
    const { issues } = validateSettings({ backfill: { maxConcurrency: 0, toleratedFailurePercentage: 101, batch: 3 } }, ids);
    expect(issues.map((issue) => issue.path.join('.'))).toEqual([
      'backfill.maxConcurrency',
      'backfill.toleratedFailurePercentage',
      'backfill.batch',
    ]);
    expect(validateSettings({ backfill: 7 }, ids).issues[0]!.path).toEqual(['backfill']);
  });
});

describe('least privilege', () => {
  const ACCOUNT_SCOPE = 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}';

  it('the state machine role: invoke the backfill function, list the trail prefix, write results under backfill/, run its child executions', () => {
    const role = resources.BackfillStateMachineRole!;
    expect(role.Condition).toBe('HasTrailBucket');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(role.Properties.Policies).toHaveLength(1);
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [{ 'Fn::GetAtt': ['BackfillLambdaFunction', 'Arn'] }] },
      {
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${TrailBucketName}' }],
        Condition: { StringLike: { 's3:prefix': [{ 'Fn::Sub': '${TrailPrefix}*' }] } },
      },
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        Resource: [{ 'Fn::Sub': '${AnswersBucket.Arn}/backfill/*' }],
      },
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [{ 'Fn::GetAtt': ['TrailwardenKey', 'Arn'] }] },
      {
        Effect: 'Allow',
        Action: ['states:StartExecution'],
        Resource: [{ 'Fn::Sub': `${ACCOUNT_SCOPE}:stateMachine:\${AWS::StackName}-backfill` }],
      },
      {
        Effect: 'Allow',
        Action: ['states:DescribeExecution', 'states:StopExecution'],
        Resource: [{ 'Fn::Sub': `${ACCOUNT_SCOPE}:execution:\${AWS::StackName}-backfill/*` }],
      },
    ]);
    expect(machine.Properties.StateMachineName).toEqual({ 'Fn::Sub': '${AWS::StackName}-backfill' });
  });

  it('the backfill function: the findings table, GetObject under the trail prefix, the trail key only when one is named; never SNS', () => {
    const fn = stack.functions.backfill!;
    expect(fn.handler).toBe('functions/backfill/handler.handler');
    expect(fn.iamRoleStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        Resource: [{ 'Fn::GetAtt': ['FindingsTable', 'Arn'] }, { 'Fn::Sub': '${FindingsTable.Arn}/index/*' }],
      },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: ['*'] },
    ]);
    const read = resources.BackfillTrailReadPolicy!;
    expect(read.Condition).toBe('HasTrailBucket');
    expect(read.Properties.Roles).toEqual([{ Ref: 'BackfillIamRoleLambdaExecution' }]);
    expect(read.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${TrailBucketName}/${TrailPrefix}*' }],
      },
    ]);
    const key = resources.BackfillTrailKeyPolicy!;
    expect(key.Condition).toBe('HasTrailKmsKey');
    expect(stack.resources.Conditions.HasTrailKmsKey).toEqual({
      'Fn::And': [{ Condition: 'HasTrailBucket' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'TrailKmsKeyArn' }, ''] }] }],
    });
    expect(key.Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [{ Ref: 'TrailKmsKeyArn' }] },
    ]);
    expect(JSON.stringify(fn.iamRoleStatements)).not.toContain('sns:');
  });
});
