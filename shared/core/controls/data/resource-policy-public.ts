import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import {
  GLACIER_SOURCE,
  KMS_SOURCE,
  OPENSEARCH_SOURCE,
  RDS_SOURCE,
  SECRETS_MANAGER_SOURCE,
  SNS_SOURCE,
  SQS_SOURCE,
} from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { accountOfPrincipal, publicStatements } from '../../kernel/policy';
import { dbSnapshotArn, kmsKeyArn, secretArn } from './support';

/** A resource whose policy an event sets: where the document is and how the resource is named. */
interface PolicyTarget {
  service: string;
  resourceId: string;
  resourceType: string;
  label: string;
  /** The policy document the event sets; '' when the event removes the policy. */
  document: unknown;
  severity: Severity;
  /**
   * Reachable only from inside a VPC (OpenSearch domains with VPC access): an open access policy
   * there is AWS's documented pattern, the network and fine-grained access control limit who gets in.
   */
  inVpc?: boolean;
}

/** The Elasticsearch (2015-01-01) and OpenSearch (2021-01-01) API names that set a domain's access policy. */
const DOMAIN_POLICY_EVENTS = ['CreateElasticsearchDomain', 'UpdateElasticsearchDomainConfig', 'CreateDomain', 'UpdateDomainConfig'];
const DOMAIN_DELETE_EVENTS = ['DeleteElasticsearchDomain', 'DeleteDomain'];

function domainArn(event: EventBridgeEvent, name: string): string {
  return arnIn(event, 'es', `domain/${name}`);
}

/** VPC access, as the request asks for it or the response reports it (creation and update responses carry the domain's VPC options). */
function domainInVpc(event: EventBridgeEvent): boolean {
  const response = responseOf(event);
  const subnets = [
    pathGet(requestOf(event), 'vPCOptions.subnetIds'),
    pathGet(response, 'domainStatus.vPCOptions.subnetIds'),
    pathGet(response, 'domainConfig.vPCOptions.options.subnetIds'),
  ];
  return subnets.some((list) => asArray(list).length > 0) || asString(pathGet(response, 'domainStatus.endpoints.vpc')) !== undefined;
}

/** `arn:…:glacier:<region>:<account>:vaults/<name>`; accountId "-" in the request means the caller's account. */
function vaultArn(event: EventBridgeEvent, request: Record<string, unknown>, name: string): string {
  const requested = asString(request.accountId);
  const account = requested && /^\d{12}$/.test(requested) ? requested : accountOf(event);
  return arnIn(event, 'glacier', `vaults/${name}`, { account });
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` (and the legacy queue.amazonaws.com forms) → queue ARN. */
function queueArn(event: EventBridgeEvent, queueUrl: string): string {
  const [account, name] = queueUrl.replace(/\/+$/, '').split('/').slice(-2);
  return account && /^\d{12}$/.test(account) && name ? arnIn(event, 'sqs', name, { account }) : queueUrl;
}

/** An SNS topic's policy (set, or given at creation). */
function topicTarget(topicArn: string, document: unknown): PolicyTarget {
  return { service: 'SNS topic', resourceId: topicArn, resourceType: 'AWS::SNS::Topic', label: topicArn, document, severity: 'HIGH' };
}

/** An SQS queue's policy (set, or given at creation), on the queue's ARN. */
function queueTarget(event: EventBridgeEvent, queueUrl: string, document: unknown): PolicyTarget {
  return {
    service: 'SQS queue',
    resourceId: queueArn(event, queueUrl),
    resourceType: 'AWS::SQS::Queue',
    label: queueUrl,
    document,
    severity: 'HIGH',
  };
}

function policyTargetOf(event: EventBridgeEvent): PolicyTarget | undefined {
  const request = requestOf(event);
  switch (recordOf(event).eventName) {
    case 'SetTopicAttributes': {
      const topicArn = asString(request.topicArn);
      if (!topicArn || request.attributeName !== 'Policy') return undefined;
      return topicTarget(topicArn, request.attributeValue ?? '');
    }
    case 'CreateTopic': {
      const topicArn = asString(responseOf(event).topicArn);
      const attributes = asRecord(request.attributes);
      if (!topicArn || !('Policy' in attributes)) return undefined;
      return topicTarget(topicArn, attributes.Policy);
    }
    case 'CreateQueue':
    case 'SetQueueAttributes': {
      // The new queue's URL is in the response; an existing one's in the request.
      const queueUrl = asString(recordOf(event).eventName === 'CreateQueue' ? responseOf(event).queueUrl : request.queueUrl);
      const attributes = asRecord(request.attributes);
      if (!queueUrl || !('Policy' in attributes)) return undefined;
      return queueTarget(event, queueUrl, attributes.Policy ?? '');
    }
    case 'PutResourcePolicy':
    case 'DeleteResourcePolicy': {
      const arn = secretArn(event);
      if (!arn) return undefined;
      return {
        service: 'Secrets Manager secret',
        resourceId: arn,
        resourceType: 'AWS::SecretsManager::Secret',
        label: arn,
        document: request.resourcePolicy ?? '',
        severity: 'CRITICAL',
      };
    }
    case 'CreateElasticsearchDomain':
    case 'UpdateElasticsearchDomainConfig':
    case 'CreateDomain':
    case 'UpdateDomainConfig': {
      // CreateDomain is also a CodeArtifact and SageMaker API name.
      const name = asString(request.domainName);
      if (recordOf(event).eventSource !== OPENSEARCH_SOURCE || !name || request.accessPolicies === undefined) return undefined;
      const arn = domainArn(event, name);
      return {
        service: 'OpenSearch domain',
        resourceId: arn,
        resourceType: 'AWS::OpenSearchService::Domain',
        label: name,
        document: request.accessPolicies,
        severity: 'HIGH',
        inVpc: domainInVpc(event),
      };
    }
    case 'SetVaultAccessPolicy': {
      const name = asString(request.vaultName);
      if (!name) return undefined;
      const arn = vaultArn(event, request, name);
      return {
        service: 'S3 Glacier vault',
        resourceId: arn,
        resourceType: 'AWS::Glacier::Vault',
        label: name,
        document: pathGet(request, 'policy.policy') ?? '',
        severity: 'HIGH',
      };
    }
    case 'PutKeyPolicy':
    case 'CreateKey': {
      const arn = kmsKeyArn(event, asString(request.keyId), pathGet(responseOf(event), 'keyMetadata.arn'));
      if (!arn || request.policy === undefined) return undefined;
      return {
        service: 'KMS key',
        resourceId: arn,
        resourceType: 'AWS::KMS::Key',
        label: arn,
        document: request.policy,
        severity: 'CRITICAL',
      };
    }
    default:
      return undefined;
  }
}

/** An RDS snapshot whose restore attribute an event changes. */
interface SnapshotTarget {
  resourceId: string;
  resourceType: string;
  label: string;
  added: string[];
  removed: string[];
}

function snapshotTargetOf(event: EventBridgeEvent): SnapshotTarget | undefined {
  const request = requestOf(event);
  if (request.attributeName !== 'restore') return undefined;
  const cluster = recordOf(event).eventName === 'ModifyDBClusterSnapshotAttribute';
  const id = asString(cluster ? request.dBClusterSnapshotIdentifier : request.dBSnapshotIdentifier);
  if (!id) return undefined;
  const values = (v: unknown) => asArray(v).map(String);
  return {
    resourceId: dbSnapshotArn(event, id, cluster),
    resourceType: cluster ? 'AWS::RDS::DBClusterSnapshot' : 'AWS::RDS::DBSnapshot',
    label: `RDS ${cluster ? 'cluster ' : ''}snapshot ${id}`,
    added: values(request.valuesToAdd),
    removed: values(request.valuesToRemove),
  };
}

const restoreQualifier = (value: string) => `restore by ${value === 'all' ? 'anyone' : value}`;

const SNAPSHOT_EVENTS = ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'];

/**
 * Resource policies that make data public — SNS topic and SQS queue policies (set or given at
 * creation), Secrets Manager secret policies, KMS key policies, OpenSearch / Elasticsearch domain
 * access policies (domains outside a VPC) and S3 Glacier vault access policies with an Allow to
 * Principal "*" that no condition narrows to known accounts, organizations, VPCs or IP ranges —
 * and RDS snapshots shared with everyone (restore = all, CRITICAL) or with accounts outside this
 * one and settings.trustedAccounts (HIGH).
 */
export const resourcePolicyPublic: Control = {
  id: 'data.resource-policy-public',
  area: 'data',
  title: 'Resource policy or snapshot shared publicly',
  severity: 'HIGH',
  rationale:
    'A resource policy open to "*" lets any AWS account read secrets, use keys to decrypt data, read or inject messages; a snapshot shared with all accounts or an unknown one hands over a full copy of the database.',
  runbook: [
    'Confirm whether the sharing was approved; treat an unexplained public secret or key policy as a leak: rotate the secret (`aws secretsmanager rotate-secret --secret-id <arn>`) and review CloudTrail for GetSecretValue / Decrypt calls from other accounts.',
    'SNS: `aws sns set-topic-attributes --topic-arn <arn> --attribute-name Policy --attribute-value file://policy.json` with named principals or an aws:SourceAccount / aws:SourceArn condition (console: SNS → Topics → <topic> → Edit → Access policy).',
    'SQS: `aws sqs set-queue-attributes --queue-url <url> --attributes file://attributes.json` with a restricted Policy (console: SQS → Queues → <queue> → Edit → Access policy).',
    'Secrets Manager: `aws secretsmanager delete-resource-policy --secret-id <arn>`, or put a restricted one with `--block-public-policy` (console: Secrets Manager → <secret> → Resource permissions).',
    'KMS: `aws kms put-key-policy --key-id <arn> --policy-name default --policy file://policy.json` naming principals of this account (console: KMS → <key> → Key policy → Edit).',
    'OpenSearch: `aws opensearch update-domain-config --domain-name <domain> --access-policies file://policy.json` naming IAM principals or an aws:SourceIp condition (console: OpenSearch Service → Domains → <domain> → Security configuration → Edit → Access policy); check the domain’s logs for reads while it was open, and prefer VPC access for new domains.',
    'S3 Glacier: `aws glacier set-vault-access-policy --account-id - --vault-name <vault> --policy file://policy.json` with named principals, or `aws glacier delete-vault-access-policy --account-id - --vault-name <vault>` (console: S3 Glacier → Vaults → <vault> → Permissions).',
    'RDS snapshot: `aws rds modify-db-snapshot-attribute --db-snapshot-identifier <id> --attribute-name restore --values-to-remove all` (or the account id; modify-db-cluster-snapshot-attribute for cluster snapshots). Copies already made in other accounts cannot be recalled.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'SNS.4' },
    { framework: 'fsbp', requirement: 'SQS.3' },
    { framework: 'fsbp', requirement: 'KMS.5' },
    { framework: 'fsbp', requirement: 'RDS.1' },
    { framework: 'fsbp', requirement: 'Opensearch.2' },
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-21' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'hipaa', requirement: '164.312(a)(1)' },
    { framework: 'gdpr', requirement: 'Art. 32(1)(b)' },
  ],
  patterns: [
    apiCallPattern(SNS_SOURCE, ['SetTopicAttributes'], { requestParameters: { attributeName: ['Policy'] } }),
    apiCallPattern(SNS_SOURCE, ['CreateTopic']),
    apiCallPattern(SQS_SOURCE, ['SetQueueAttributes', 'CreateQueue']),
    apiCallPattern(SECRETS_MANAGER_SOURCE, ['PutResourcePolicy']),
    apiCallPattern(KMS_SOURCE, ['PutKeyPolicy', 'CreateKey']),
    apiCallPattern(OPENSEARCH_SOURCE, DOMAIN_POLICY_EVENTS, { requestParameters: { accessPolicies: [{ exists: true }] } }),
    apiCallPattern(GLACIER_SOURCE, ['SetVaultAccessPolicy']),
    apiCallPattern(RDS_SOURCE, SNAPSHOT_EVENTS, { requestParameters: { attributeName: ['restore'] } }),
  ],
  evaluate(event, context) {
    if (SNAPSHOT_EVENTS.includes(asString(recordOf(event).eventName) ?? '')) {
      const snapshot = snapshotTargetOf(event);
      if (!snapshot) return [];
      const own = accountOf(event);
      return snapshot.added
        .filter((value) => value === 'all' || (accountOfPrincipal(value) !== own && !context.settings.trustedAccounts.includes(value)))
        .map(
          (value): Violation => ({
            resourceId: snapshot.resourceId,
            resourceType: snapshot.resourceType,
            qualifier: restoreQualifier(value),
            severity: value === 'all' ? 'CRITICAL' : 'HIGH',
            message:
              value === 'all'
                ? `${snapshot.label} was made public: any AWS account can restore it`
                : `${snapshot.label} was shared with account ${value}, which is not a trusted account`,
            evidence: { attributeName: 'restore', valuesToAdd: snapshot.added },
          }),
        );
    }
    const target = policyTargetOf(event);
    if (!target || target.inVpc) return [];
    const statements = publicStatements(target.document);
    if (statements.length === 0) return [];
    return [
      {
        resourceId: target.resourceId,
        resourceType: target.resourceType,
        severity: target.severity,
        message: `${target.service} ${target.label} has a policy granting access to anyone (Principal "*" without a restricting condition)`,
        evidence: { statements },
      },
    ];
  },
  resolution: {
    description:
      'The same policy call with a non-public document (or DeleteResourcePolicy for secrets, DeleteVaultAccessPolicy for Glacier vaults, VPC access for OpenSearch domains); ModifyDB[Cluster]SnapshotAttribute removing "all" or the account; DeleteTopic, DeleteQueue, DeleteDBSnapshot, DeleteDBClusterSnapshot, DeleteDomain',
    patterns: [
      apiCallPattern(SNS_SOURCE, ['SetTopicAttributes', 'DeleteTopic']),
      apiCallPattern(SQS_SOURCE, ['SetQueueAttributes', 'DeleteQueue']),
      apiCallPattern(SECRETS_MANAGER_SOURCE, ['PutResourcePolicy', 'DeleteResourcePolicy']),
      apiCallPattern(KMS_SOURCE, ['PutKeyPolicy']),
      apiCallPattern(OPENSEARCH_SOURCE, [...DOMAIN_POLICY_EVENTS, ...DOMAIN_DELETE_EVENTS]),
      apiCallPattern(GLACIER_SOURCE, ['SetVaultAccessPolicy', 'DeleteVaultAccessPolicy']),
      apiCallPattern(RDS_SOURCE, [...SNAPSHOT_EVENTS, 'DeleteDBSnapshot', 'DeleteDBClusterSnapshot']),
    ],
    resolve(event) {
      const request = requestOf(event);
      const eventName = asString(recordOf(event).eventName) ?? '';
      if (SNAPSHOT_EVENTS.includes(eventName)) {
        const snapshot = snapshotTargetOf(event);
        if (!snapshot) return [];
        return snapshot.removed.map(
          (value): Resolution => ({
            resourceId: snapshot.resourceId,
            qualifier: restoreQualifier(value),
            message: `${snapshot.label} is no longer shared with ${value === 'all' ? 'everyone' : `account ${value}`}`,
          }),
        );
      }
      if (eventName === 'DeleteDBSnapshot' || eventName === 'DeleteDBClusterSnapshot') {
        const cluster = eventName === 'DeleteDBClusterSnapshot';
        const id = asString(cluster ? request.dBClusterSnapshotIdentifier : request.dBSnapshotIdentifier);
        if (!id) return [];
        return [{ resourceId: dbSnapshotArn(event, id, cluster), message: `RDS ${cluster ? 'cluster ' : ''}snapshot ${id} was deleted` }];
      }
      if (DOMAIN_DELETE_EVENTS.includes(eventName) && recordOf(event).eventSource === OPENSEARCH_SOURCE) {
        const name = asString(request.domainName);
        return name ? [{ resourceId: domainArn(event, name), message: `OpenSearch domain ${name} was deleted` }] : [];
      }
      if (eventName === 'DeleteVaultAccessPolicy') {
        const name = asString(request.vaultName);
        return name
          ? [{ resourceId: vaultArn(event, request, name), message: `The access policy of S3 Glacier vault ${name} was deleted` }]
          : [];
      }
      if (eventName === 'DeleteTopic') {
        const topicArn = asString(request.topicArn);
        return topicArn ? [{ resourceId: topicArn, message: `SNS topic ${topicArn} was deleted` }] : [];
      }
      if (eventName === 'DeleteQueue') {
        const queueUrl = asString(request.queueUrl);
        return queueUrl ? [{ resourceId: queueArn(event, queueUrl), message: `SQS queue ${queueUrl} was deleted` }] : [];
      }
      const target = policyTargetOf(event);
      if (!target || (!target.inVpc && publicStatements(target.document).length > 0)) return [];
      return [{ resourceId: target.resourceId, message: `${target.service} ${target.label} no longer has a public policy` }];
    },
  },
};
