import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asRecord, asString, pathGet } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { ec2RequestField, ec2ResponseField, itemsOf } from '../../kernel/ec2';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { INSTANCE_TYPE, terminatedInstanceIds } from './support';

/** The qualifier of the finding on the account-level default for new instances. */
const QUALIFIER_DEFAULT = 'account default';

interface MetadataOptions {
  httpTokens?: string;
  httpEndpoint?: string;
}

function lower(value: unknown): string | undefined {
  return asString(value)?.toLowerCase();
}

/** IMDSv1 answers when tokens are optional and the endpoint is not disabled. */
const allowsV1 = (options: MetadataOptions) => options.httpTokens === 'optional' && options.httpEndpoint !== 'disabled';
const requiresV2 = (options: MetadataOptions) => options.httpTokens === 'required' || options.httpEndpoint === 'disabled';

/** Per launched instance: the effective metadataOptions from RunInstances' response, else the request's. */
function launchedInstances(event: EventBridgeEvent): Array<{ instanceId: string; options: MetadataOptions }> {
  const requested = asRecord(requestOf(event).metadataOptions);
  return itemsOf(pathGet(responseOf(event), 'instancesSet'))
    .map((item) => {
      const effective = asRecord(item.metadataOptions);
      const source = Object.keys(effective).length > 0 ? effective : requested;
      return {
        instanceId: asString(item.instanceId) ?? '',
        options: { httpTokens: lower(source.httpTokens), httpEndpoint: lower(source.httpEndpoint) },
      };
    })
    .filter((i) => i.instanceId !== '');
}

/** ModifyInstanceMetadataOptions: the instance and the options the call sets (response's effective options first). */
function modifiedInstance(event: EventBridgeEvent): { instanceId: string; options: MetadataOptions } | undefined {
  const instanceId = asString(ec2RequestField(event, 'InstanceId')) ?? asString(ec2ResponseField(event, 'instanceId'));
  if (!instanceId) return undefined;
  return {
    instanceId,
    options: {
      httpTokens: lower(ec2ResponseField(event, 'instanceMetadataOptions.httpTokens')) ?? lower(ec2RequestField(event, 'HttpTokens')),
      httpEndpoint: lower(ec2ResponseField(event, 'instanceMetadataOptions.httpEndpoint')) ?? lower(ec2RequestField(event, 'HttpEndpoint')),
    },
  };
}

/** ModifyInstanceMetadataDefaults: the account-level HttpTokens default (optional | required | no-preference). */
function accountDefault(event: EventBridgeEvent): string | undefined {
  return lower(ec2RequestField(event, 'HttpTokens'));
}

/**
 * EC2 instances that answer IMDSv1 requests (FSBP EC2.8, CIS 5.6): RunInstances whose effective
 * metadata options have HttpTokens optional, ModifyInstanceMetadataOptions setting HttpTokens
 * optional, and the account/region default for new instances set to optional
 * (ModifyInstanceMetadataDefaults, MEDIUM: it applies to launches that do not choose).
 */
export const imdsv1Allowed: Control = {
  id: 'host.imdsv1-allowed',
  area: 'host',
  title: 'EC2 instance metadata service allows IMDSv1',
  severity: 'HIGH',
  rationale:
    "IMDSv1 answers any unauthenticated GET, so a server-side request forgery in a container or on the host hands the instance role's credentials to an attacker; IMDSv2 session tokens block that path.",
  runbook: [
    'Require IMDSv2 on the instance: EC2 console → Instances → <instance> → Actions → Instance settings → Modify instance metadata options → IMDSv2 Required, or `aws ec2 modify-instance-metadata-options --instance-id <id> --http-tokens required --http-endpoint enabled`.',
    'For container hosts keep `--http-put-response-hop-limit 1` (or 2 only where containers must reach IMDS) so tasks cannot borrow the host role.',
    'Make it the default for new launches: `aws ec2 modify-instance-metadata-defaults --http-tokens required` (EC2 console → Dashboard → Account attributes → Data protection and security → IMDS defaults), and set `MetadataOptions.HttpTokens=required` in launch templates.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '5.6' },
    { framework: 'fsbp', requirement: 'EC2.8' },
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
  ],
  patterns: [apiCallPattern(EC2_SOURCE, ['RunInstances', 'ModifyInstanceMetadataOptions', 'ModifyInstanceMetadataDefaults'])],
  evaluate(event): Violation[] {
    switch (recordOf(event).eventName) {
      case 'RunInstances':
        return launchedInstances(event)
          .filter((i) => allowsV1(i.options))
          .map((i) => ({
            resourceId: i.instanceId,
            resourceType: INSTANCE_TYPE,
            message: `Instance ${i.instanceId} was launched with IMDSv1 allowed (HttpTokens optional)`,
            evidence: { instanceId: i.instanceId, metadataOptions: i.options },
          }));
      case 'ModifyInstanceMetadataOptions': {
        const instance = modifiedInstance(event);
        if (!instance || !allowsV1(instance.options)) return [];
        return [
          {
            resourceId: instance.instanceId,
            resourceType: INSTANCE_TYPE,
            message: `Instance ${instance.instanceId} was set to allow IMDSv1 (HttpTokens optional)`,
            evidence: { instanceId: instance.instanceId, metadataOptions: instance.options },
          },
        ];
      }
      case 'ModifyInstanceMetadataDefaults': {
        if (accountDefault(event) !== 'optional') return [];
        const account = accountOf(event);
        return [
          {
            resourceId: account,
            resourceType: ACCOUNT_RESOURCE_TYPE,
            qualifier: QUALIFIER_DEFAULT,
            severity: 'MEDIUM',
            message: `Account ${account} now launches instances with IMDSv1 allowed by default in ${event.region} (HttpTokens optional)`,
            evidence: { HttpTokens: ec2RequestField(event, 'HttpTokens'), HttpEndpoint: ec2RequestField(event, 'HttpEndpoint') },
          },
        ];
      }
      default:
        return [];
    }
  },
  resolution: {
    description:
      'ModifyInstanceMetadataOptions with HttpTokens required (or the endpoint disabled), TerminateInstances; ModifyInstanceMetadataDefaults with HttpTokens required',
    patterns: [apiCallPattern(EC2_SOURCE, ['ModifyInstanceMetadataOptions', 'TerminateInstances', 'ModifyInstanceMetadataDefaults'])],
    resolve(event): Resolution[] {
      switch (recordOf(event).eventName) {
        case 'ModifyInstanceMetadataOptions': {
          const instance = modifiedInstance(event);
          return instance && requiresV2(instance.options)
            ? [{ resourceId: instance.instanceId, message: `Instance ${instance.instanceId} now requires IMDSv2` }]
            : [];
        }
        case 'TerminateInstances':
          return terminatedInstanceIds(event).map((id) => ({ resourceId: id, message: `Instance ${id} was terminated` }));
        case 'ModifyInstanceMetadataDefaults':
          return accountDefault(event) === 'required'
            ? [
                {
                  resourceId: accountOf(event),
                  qualifier: QUALIFIER_DEFAULT,
                  message: `Account ${accountOf(event)} now requires IMDSv2 by default in ${event.region}`,
                },
              ]
            : [];
        default:
          return [];
      }
    },
  },
};
