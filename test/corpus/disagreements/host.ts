/**
 * Corpus events of the host area where trailwarden deliberately disagrees with the source's label,
 * each with a one-line reason. The agreement test fails on a disagreement missing here and on an
 * entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  // Sharing an AMI with another account.
  'panther:AWS.CloudTrail.AMIModifiedForPublicAccess:3':
    'we deliberately flag an AMI shared with an account outside settings.trustedAccounts; the source clears it only under a mocked account-age lookup',

  // Launches of "unusual" instance types: the type list is the source's per-organization allow-list (mocked).
  'panther:AWS.EC2.LaunchUnusualEC2Instances:0':
    'informational source rule (Severity Info) whose verdict rests on a mocked list of unusual instance types; trailwarden has no instance-type allow-list setting',
  'panther:AWS.EC2.LaunchUnusualEC2Instances:2':
    'informational source rule (Severity Info) whose verdict rests on a mocked list of unusual instance types; trailwarden has no instance-type allow-list setting',

  // Informational monitoring rules on ordinary EC2 lifecycle calls.
  'panther:AWS.EC2.Monitoring:0':
    'informational source rule (Severity Info) that flags every CreateImage; creating an AMI of an instance is routine (backups, golden images)',
  'panther:AWS.EC2.Monitoring:3':
    'informational source rule (Severity Info) that flags every CreateImage; creating an AMI of an instance is routine (backups, golden images)',
  'streamalert:cloudtrail_ec2_image_creation:0':
    'the source rule flags every CreateImage; creating an AMI of an instance is routine, and sharing it (which the same rule file also covers) is what host.image-or-snapshot-shared reports',
  'panther:AWS.EC2.StopInstances:0':
    'informational source rule (Severity Info) that flags every StopInstances; stopping instances is routine operation',
  'panther:AWS.Modify.Cloud.Compute.Infrastructure:0':
    'the source rule flags any TerminateInstances by a non-service principal; terminating instances is routine operation (it resolves host findings instead)',
  'panther:AWS.EC2.Monitoring:1':
    'we deliberately flag this launch: the instance gets a public IP (host.instance-public-ip) and its effective metadata options allow IMDSv1 (host.imdsv1-allowed); the informational source rule ignores RunInstances',

  // Launch of a known-vulnerable image: the source matches AMI ids against its own list.
  'panther:AWS.EC2.Vulnerable.XZ.Image.Launched:2':
    'we deliberately flag this launch for its public IP and IMDSv1 (host.instance-public-ip, host.imdsv1-allowed); the source only checks the AMI id against its list of XZ-backdoored images',

  // Instance-role credentials used off the instance.
  'panther:AWS.CloudTrail.IMDSCredentialExfiltration:0':
    'needs context: instance-role credentials are used from public addresses by every instance behind NAT or with a public IP, so one call cannot show they left the instance (GuardDuty InstanceCredentialExfiltration findings, handled by runtime.guardduty-finding, do)',
  'panther:AWS.CloudTrail.IMDSCredentialExfiltration:9':
    'needs context: instance-role credentials are used from public addresses by every instance behind NAT or with a public IP, so one call cannot show they left the instance (GuardDuty InstanceCredentialExfiltration findings, handled by runtime.guardduty-finding, do)',
  'stratus:aws.credential-access.ec2-steal-instance-credentials:5':
    'needs context: an instance-role session calling GetCallerIdentity from an address outside the instance; the address of the instance is not in the event (GuardDuty InstanceCredentialExfiltration covers it)',
  'stratus:aws.credential-access.ec2-steal-instance-credentials:20':
    'needs context: an instance-role session calling DescribeInstances from an address outside the instance; the address of the instance is not in the event (GuardDuty InstanceCredentialExfiltration covers it)',

  // Run Command on a single instance.
  'panther:AWS.SSM.DistributedCommand:2':
    'we deliberately flag every ad-hoc AWS-RunShellScript command (host.run-command-shell, MEDIUM for one instance); the informational source rule fires only past a mocked count of distinct instances',
};
