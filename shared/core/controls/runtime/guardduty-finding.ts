import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf } from '../../kernel/records';
import { arnIn, bucketArn } from '../../kernel/arn';
import { IAM_ROLE_TYPE, IAM_USER_TYPE } from '../../kernel/principals';
import {
  type FindingSubject,
  GUARDDUTY_FINDING_PATTERN,
  type ReportedFinding,
  THREAT_DETECTION_FRAMEWORKS,
  activeFindingViolations,
  findingArchival,
  isSampleFinding,
  workloadFindingOf,
} from './support';

/** The finding's identity, resource kind and activity, for evidence. */
function findingEvidence(detail: Record<string, unknown>): Record<string, unknown> {
  return {
    id: detail.id,
    arn: detail.arn,
    type: detail.type,
    severity: detail.severity,
    title: detail.title,
    resourceType: pathGet(detail, 'resource.resourceType'),
    resourceRole: pathGet(detail, 'service.resourceRole'),
    action: pathGet(detail, 'service.action.actionType'),
    featureName: pathGet(detail, 'service.featureName'),
    count: pathGet(detail, 'service.count'),
    eventFirstSeen: pathGet(detail, 'service.eventFirstSeen'),
    eventLastSeen: pathGet(detail, 'service.eventLastSeen'),
  };
}

/**
 * The resource a (non-workload) finding is about, named as the other areas name it:
 * - Instance: `instanceDetails.instanceId`;
 * - AccessKey: `accessKeyDetails` {accessKeyId, principalId, userName, userType}: the IAM user or,
 *   for userType AssumedRole, the role, by name; the root user and other callers on the account;
 * - S3Bucket / S3Object: `s3BucketDetails[0].arn` (else its `name`);
 * - Lambda: `lambdaDetails.functionArn` (else `functionName`);
 * - RDSDBInstance / RDSLimitlessDB: `rdsDbInstanceDetails.dbInstanceArn` (else the identifier);
 * - anything else — AttackSequence findings, which span several resources, or a finding without
 *   resource details — the account.
 */
function subjectOf(event: EventBridgeEvent): FindingSubject {
  const resource = asRecord(event.detail.resource);
  const account = accountOf(event);
  const instanceId = asString(pathGet(resource, 'instanceDetails.instanceId'));
  if (instanceId) return { id: instanceId, type: 'AWS::EC2::Instance', label: `instance ${instanceId}` };

  const key = asRecord(resource.accessKeyDetails);
  const userName = asString(key.userName);
  const userType = asString(key.userType);
  if (userName && userType === 'IAMUser') return { id: userName, type: IAM_USER_TYPE, label: `IAM user ${userName}` };
  if (userName && userType === 'AssumedRole') return { id: userName, type: IAM_ROLE_TYPE, label: `role ${userName}` };
  if (userType === 'Root') return { id: account, type: ACCOUNT_RESOURCE_TYPE, label: `the root user of account ${account}` };

  const bucket = asRecord(asArray(resource.s3BucketDetails)[0]);
  const bucketName = asString(bucket.name);
  const s3Arn = asString(bucket.arn) ?? (bucketName ? bucketArn(event, bucketName) : undefined);
  if (s3Arn) return { id: s3Arn, type: 'AWS::S3::Bucket', label: `S3 bucket ${bucketName ?? s3Arn}` };

  const lambda = asRecord(resource.lambdaDetails);
  const functionName = asString(lambda.functionName);
  const functionArn = asString(lambda.functionArn) ?? (functionName ? arnIn(event, 'lambda', `function:${functionName}`) : undefined);
  if (functionArn) return { id: functionArn, type: 'AWS::Lambda::Function', label: `Lambda function ${functionName ?? functionArn}` };

  const database = asRecord(resource.rdsDbInstanceDetails);
  const dbIdentifier = asString(database.dbInstanceIdentifier);
  const dbArn = asString(database.dbInstanceArn) ?? (dbIdentifier ? arnIn(event, 'rds', `db:${dbIdentifier}`) : undefined);
  if (dbArn) return { id: dbArn, type: 'AWS::RDS::DBInstance', label: `RDS DB instance ${dbIdentifier ?? dbArn}` };

  return { id: account, type: ACCOUNT_RESOURCE_TYPE, label: `account ${account}` };
}

/** A finding this control reports: not a sample, not one runtime.guardduty-runtime-finding reports, with a type. */
function findingOf(event: EventBridgeEvent): ReportedFinding | undefined {
  const detail = event.detail;
  if (isSampleFinding(detail) || workloadFindingOf(detail)) return undefined;
  const type = asString(detail.type);
  return type ? { subject: subjectOf(event), type } : undefined;
}

/**
 * Every GuardDuty finding that runtime.guardduty-runtime-finding does not report — compromised
 * credentials (UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration…, anomalous API
 * behaviour), instances talking to miners or command-and-control hosts, S3 and RDS threats, malware
 * scans, attack sequences — at GuardDuty's severity band: low findings as LOW, medium as MEDIUM,
 * high as HIGH, critical as CRITICAL. Sample findings are ignored; archiving the finding resolves
 * it. One finding per affected resource and finding type, as GuardDuty itself aggregates repeats.
 */
export const guarddutyFinding: Control = {
  id: 'runtime.guardduty-finding',
  area: 'runtime',
  title: 'GuardDuty reported a threat finding',
  severity: 'MEDIUM',
  rationale:
    'GuardDuty findings are detections of activity in progress — stolen credentials in use, instances contacting attackers, data being reached from unusual places — and they only help if someone acts on them; every band is kept (low findings as LOW) so that triage decides what to ignore, not the intake. A minimum GuardDuty severity setting would let an organization drop low findings here; until then, filter them with `trailwarden findings --min-severity MEDIUM` or disable the control.',
  runbook: [
    'Read the finding: GuardDuty console → Findings → <finding id> (resource, actor, action, evidence), or `aws guardduty get-findings --detector-id <detector> --finding-ids <id>`; the finding type names the threat (GuardDuty user guide → Finding types).',
    'For credential findings (IAMUser/…, InstanceCredentialExfiltration): deactivate the access key (`aws iam update-access-key --user-name <user> --access-key-id <key> --status Inactive`) or revoke the role sessions (IAM console → Roles → <role> → Revoke active sessions), then review what the credentials did in CloudTrail.',
    'For instance findings (Backdoor:EC2/…, CryptoCurrency:EC2/…, Trojan:EC2/…): isolate the instance with a security group without rules, snapshot its volumes for forensics, and replace it.',
    'For S3, RDS, Lambda and malware findings: block the actor (bucket or resource policy, security group), check what was read or changed, and restore from a clean copy where needed.',
    'When handled or a confirmed false positive, archive it: `aws guardduty archive-findings --detector-id <detector> --finding-ids <id>`, and add a narrow suppression rule for known-benign patterns.',
  ],
  frameworks: [
    ...THREAT_DETECTION_FRAMEWORKS,
    { framework: 'pci-dss-4.0', requirement: '10.4.1' },
    { framework: 'hipaa', requirement: '164.308(a)(6)(ii)' },
  ],
  patterns: [GUARDDUTY_FINDING_PATTERN],
  evaluate(event) {
    return activeFindingViolations(event, findingOf, findingEvidence);
  },
  resolution: findingArchival(findingOf),
};
