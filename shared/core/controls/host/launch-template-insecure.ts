import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString } from '../../kernel/values';
import { recordOf } from '../../kernel/records';
import { ec2RequestField, ec2ResponseField } from '../../kernel/ec2';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const LAUNCH_TEMPLATE_TYPE = 'AWS::EC2::LaunchTemplate';
const IMDSV1 = 'IMDSv1';
const PUBLIC_IP = 'public IP';

/**
 * CreateLaunchTemplate / CreateLaunchTemplateVersion are logged in the wrapped form
 * (`{"CreateLaunchTemplateRequest": {"LaunchTemplateName": …, "LaunchTemplateData": {…}}}`) with the
 * launch template data in the API's PascalCase query members: `MetadataOptions.HttpTokens` /
 * `HttpEndpoint`, and the network interfaces as `NetworkInterface` (one object, or an array when
 * several; each with `DeviceIndex`, `AssociatePublicIpAddress`). The response names the template:
 * `launchTemplate.launchTemplateId` (create) or `launchTemplateVersion.launchTemplateId` /
 * `versionNumber` (new version).
 */
interface TemplateChange {
  templateId: string;
  name?: string;
  version?: unknown;
  httpTokens?: string;
  httpEndpoint?: string;
  publicIp?: boolean;
}

function changeOf(event: EventBridgeEvent): TemplateChange | undefined {
  const data = asRecord(ec2RequestField(event, 'LaunchTemplateData'));
  const templateId =
    asString(ec2ResponseField(event, 'launchTemplate.launchTemplateId')) ??
    asString(ec2ResponseField(event, 'launchTemplateVersion.launchTemplateId')) ??
    asString(ec2RequestField(event, 'LaunchTemplateId'));
  if (!templateId) return undefined;
  const metadata = asRecord(data.MetadataOptions ?? data.metadataOptions);
  const interfaces = asArray(data.NetworkInterface ?? data.NetworkInterfaces).map(asRecord);
  const publicFlags = interfaces.map((i) => i.AssociatePublicIpAddress).filter((v): v is boolean => typeof v === 'boolean');
  return {
    templateId,
    name:
      asString(ec2ResponseField(event, 'launchTemplate.launchTemplateName')) ??
      asString(ec2ResponseField(event, 'launchTemplateVersion.launchTemplateName')) ??
      asString(ec2RequestField(event, 'LaunchTemplateName')),
    version:
      ec2ResponseField(event, 'launchTemplateVersion.versionNumber') ?? ec2ResponseField(event, 'launchTemplate.latestVersionNumber'),
    httpTokens: asString(metadata.HttpTokens)?.toLowerCase(),
    httpEndpoint: asString(metadata.HttpEndpoint)?.toLowerCase(),
    publicIp: publicFlags.length === 0 ? undefined : publicFlags.some((v) => v),
  };
}

const label = (c: TemplateChange) =>
  `Launch template ${c.name ?? c.templateId}${c.version !== undefined ? ` (version ${String(c.version)})` : ''}`;

/**
 * Launch templates that launch weak hosts, for every instance an Auto Scaling group or ECS
 * capacity provider starts from them: metadata options with HttpTokens optional (IMDSv1 allowed,
 * FSBP EC2.170, HIGH) and network interfaces that assign a public IPv4 address (FSBP EC2.25,
 * MEDIUM). Templates that leave the settings out inherit the account defaults (see
 * host.imdsv1-allowed) and are not reported. One finding per template and problem; a later
 * version that sets the secure value, or deleting the template, resolves it.
 */
export const launchTemplateInsecure: Control = {
  id: 'host.launch-template-insecure',
  area: 'host',
  title: 'EC2 launch template allows IMDSv1 or assigns public IPs',
  severity: 'HIGH',
  rationale:
    'Container hosts are launched from templates, so a template that allows IMDSv1 or gives instances a public address repeats the weakness on every host the Auto Scaling group starts: instance-role credentials open to SSRF, and hosts reachable from the internet.',
  runbook: [
    'Create a fixed version: EC2 console → Launch templates → <template> → Actions → Modify template (Create new version) → Advanced details → Metadata version: V2 only (token required), and under Network settings → Auto-assign public IP: Disable; or `aws ec2 create-launch-template-version --launch-template-id <lt-id> --source-version <n> --launch-template-data \'{"MetadataOptions":{"HttpTokens":"required","HttpEndpoint":"enabled"},"NetworkInterfaces":[{"DeviceIndex":0,"AssociatePublicIpAddress":false}]}\'`.',
    'Make it the default version (`aws ec2 modify-launch-template --launch-template-id <lt-id> --default-version <new>`) and roll the Auto Scaling group (`aws autoscaling start-instance-refresh --auto-scaling-group-name <asg>`).',
    'Enforce with the CT.EC2.PR.1 proactive control or an SCP on ec2:MetadataHttpTokens.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'EC2.170' },
    { framework: 'fsbp', requirement: 'EC2.25' },
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(EC2_SOURCE, ['CreateLaunchTemplate', 'CreateLaunchTemplateVersion'])],
  evaluate(event): Violation[] {
    const change = changeOf(event);
    if (!change) return [];
    const violations: Violation[] = [];
    if (change.httpTokens === 'optional' && change.httpEndpoint !== 'disabled') {
      violations.push({
        resourceId: change.templateId,
        resourceType: LAUNCH_TEMPLATE_TYPE,
        qualifier: IMDSV1,
        message: `${label(change)} launches instances that allow IMDSv1 (HttpTokens optional)`,
        evidence: {
          MetadataOptions: { HttpTokens: change.httpTokens, ...(change.httpEndpoint ? { HttpEndpoint: change.httpEndpoint } : {}) },
        },
      });
    }
    if (change.publicIp === true) {
      violations.push({
        resourceId: change.templateId,
        resourceType: LAUNCH_TEMPLATE_TYPE,
        qualifier: PUBLIC_IP,
        severity: 'MEDIUM',
        message: `${label(change)} assigns a public IPv4 address to the instances it launches`,
        evidence: { NetworkInterface: { AssociatePublicIpAddress: true } },
      });
    }
    return violations;
  },
  resolution: {
    description: 'CreateLaunchTemplateVersion setting HttpTokens required / AssociatePublicIpAddress false; DeleteLaunchTemplate',
    patterns: [apiCallPattern(EC2_SOURCE, ['CreateLaunchTemplateVersion', 'DeleteLaunchTemplate'])],
    resolve(event): Resolution[] {
      if (recordOf(event).eventName === 'DeleteLaunchTemplate') {
        const templateId =
          asString(ec2ResponseField(event, 'launchTemplate.launchTemplateId')) ?? asString(ec2RequestField(event, 'LaunchTemplateId'));
        return templateId ? [{ resourceId: templateId, message: `Launch template ${templateId} was deleted` }] : [];
      }
      const change = changeOf(event);
      if (!change) return [];
      const resolutions: Resolution[] = [];
      if (change.httpTokens === 'required' || change.httpEndpoint === 'disabled') {
        resolutions.push({ resourceId: change.templateId, qualifier: IMDSV1, message: `${label(change)} requires IMDSv2` });
      }
      if (change.publicIp === false) {
        resolutions.push({
          resourceId: change.templateId,
          qualifier: PUBLIC_IP,
          message: `${label(change)} no longer assigns public IPv4 addresses`,
        });
      }
      return resolutions;
    },
  },
};
