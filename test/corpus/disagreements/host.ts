/**
 * Corpus rows of the host area that are judged (their rule's concern has controls, intake reads them) and on
 * which trailwarden deliberately disagrees with the source's label, each with a one-line reason. The agreement
 * test fails on a disagreement missing here and on an entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  'panther:AWS.CloudTrail.AMIModifiedForPublicAccess:3':
    'we deliberately flag an AMI shared with an account outside settings.trustedAccounts; the source clears it only under a mocked account-age lookup',
  'panther:AWS.CloudTrail.IMDSCredentialExfiltration:0':
    'needs context: instance-role credentials are used from public addresses by every instance behind NAT or with a public IP, so one call cannot show they left the instance (GuardDuty InstanceCredentialExfiltration findings, handled by runtime.guardduty-finding, do)',
  'panther:AWS.CloudTrail.IMDSCredentialExfiltration:9':
    'needs context: instance-role credentials are used from public addresses by every instance behind NAT or with a public IP, so one call cannot show they left the instance (GuardDuty InstanceCredentialExfiltration findings, handled by runtime.guardduty-finding, do)',
  'panther:AWS.Modify.Cloud.Compute.Infrastructure:0':
    'the source rule flags any TerminateInstances by a non-service principal; terminating instances is routine operation (it resolves host findings instead)',
  'panther:AWS.SSM.DistributedCommand:2':
    'we deliberately flag every ad-hoc AWS-RunShellScript command (host.run-command-shell, MEDIUM for one instance); the informational source rule fires only past a mocked count of distinct instances',
  'stratus:aws.credential-access.ec2-steal-instance-credentials:5':
    'needs context: an instance-role session calling GetCallerIdentity from an address outside the instance; the address of the instance is not in the event (GuardDuty InstanceCredentialExfiltration covers it)',
  'stratus:aws.credential-access.ec2-steal-instance-credentials:20':
    'needs context: an instance-role session calling DescribeInstances from an address outside the instance; the address of the instance is not in the event (GuardDuty InstanceCredentialExfiltration covers it)',
};
