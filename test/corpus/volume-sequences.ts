/**
 * Corpus rows whose source rule fires on a burst, not on one event, judged on a stateful sequence built from the
 * row: its record repeated with its own event ids and times a minute apart, varied where the rule counts distinct
 * things (users tried from one address, APIs refused, secrets read). Each sequence is replayed through the same
 * pipeline as `trailwarden replay`, and the row agrees when a control of its concern raises a finding.
 */
type CloudTrailRecord = Record<string, unknown>;

/** How many events a sequence holds: above every default threshold it is judged against (10 at most). */
const LENGTH = 12;

/** The record at position `i`: a new eventID, and eventTime moved `i` minutes on. */
function nth(record: CloudTrailRecord, i: number, change: (copy: CloudTrailRecord) => void = () => undefined): CloudTrailRecord {
  const copy = structuredClone(record);
  copy.eventID = `${String(record.eventID ?? 'event')}-volume-${i}`;
  copy.eventTime = new Date(Date.parse(String(record.eventTime)) + i * 60_000).toISOString().replace('.000Z', 'Z');
  change(copy);
  return copy;
}

const repeated = (record: CloudTrailRecord) => Array.from({ length: LENGTH }, (_, i) => nth(record, i));

/** Refused calls of other services' APIs, each a distinct API. */
const REFUSED_APIS: ReadonlyArray<[string, string]> = [
  ['iam.amazonaws.com', 'ListUsers'],
  ['iam.amazonaws.com', 'ListRoles'],
  ['s3.amazonaws.com', 'ListBuckets'],
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['lambda.amazonaws.com', 'ListFunctions20150331'],
  ['secretsmanager.amazonaws.com', 'ListSecrets'],
  ['ssm.amazonaws.com', 'DescribeParameters'],
  ['rds.amazonaws.com', 'DescribeDBInstances'],
  ['dynamodb.amazonaws.com', 'ListTables'],
  ['kms.amazonaws.com', 'ListKeys'],
  ['ecs.amazonaws.com', 'ListClusters'],
  ['eks.amazonaws.com', 'ListClusters'],
];

const acrossServices = (record: CloudTrailRecord) =>
  REFUSED_APIS.map(([eventSource, eventName], i) =>
    nth(record, i, (copy) => {
      copy.eventSource = eventSource;
      copy.eventName = eventName;
    }),
  );

export interface VolumeSequence {
  /** Why the row needs volume, and what its sequence is. */
  reason: string;
  expand(record: CloudTrailRecord): CloudTrailRecord[];
}

export const VOLUME_SEQUENCES: Record<string, VolumeSequence> = {
  'panther:AWS.Unsuccessful.MFA.attempt:1': {
    reason: 'the rule counts failed sign-ins of one user: the failure repeated',
    expand: repeated,
  },
  'panther:AWS.Console.RootLoginFailed:0': {
    reason: 'the rule counts failed root sign-ins: the failure repeated',
    expand: repeated,
  },
  'panther:Standard.BruteForceByUser:1': {
    reason: 'the rule counts failed sign-ins of one user: the failure repeated',
    expand: repeated,
  },
  'panther:Standard.BruteForceByIP:1': {
    reason: 'the rule counts failed sign-ins from one address: the failure repeated, for a different user each time',
    expand: (record) =>
      Array.from({ length: LENGTH }, (_, i) =>
        nth(record, i, (copy) => {
          const identity = copy.userIdentity as Record<string, unknown>;
          identity.userName = `${String(identity.userName)}-${i}`;
        }),
      ),
  },
  'panther:AWS.IAMUser.ReconAccessDenied:0': {
    reason: 'the rule counts refused calls by one principal across services: the refusal repeated for other APIs',
    expand: acrossServices,
  },
  'panther:AWS.CloudTrail.UnauthorizedAPICall:0': {
    reason: 'the rule counts refused calls by one principal: the refusal repeated for other APIs',
    expand: acrossServices,
  },
  'panther:AWS.SecretsManager.RetrieveSecrets:0': {
    reason: 'the rule counts reads of distinct secrets by one principal: the read repeated for other secrets',
    expand: (record) =>
      Array.from({ length: LENGTH }, (_, i) =>
        nth(record, i, (copy) => {
          const request = copy.requestParameters as Record<string, unknown>;
          request.secretId = `${String(request.secretId)}-${i}`;
        }),
      ),
  },
};
