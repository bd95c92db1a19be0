/**
 * Corpus events of the network area where trailwarden deliberately disagrees with the source's label,
 * each with a one-line reason. The agreement test fails on a disagreement missing here and on an
 * entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  // Intake refuses the event: it is truncated or holds placeholders.
  'panther:AWS.CloudTrail.VPCE.S3ExternalIP:0':
    'intake refuses it: the record has no awsRegion (nor eventID, eventVersion); the source rule also needs to know which addresses are the VPC\'s own',
  'streamalert:cloudtrail_network_acl_ingress_anywhere:0':
    'intake refuses it: the envelope\'s account is a number and the entry\'s fields are "..." placeholders; a real open entry is judged by network.network-acl-open-to-internet',
  'streamalert:cloudtrail_security_group_ingress_anywhere:0':
    'intake refuses it: the envelope\'s account is a number and the rule\'s fields are "..." placeholders; a real open rule is judged by network.security-group-open-to-internet',
  'streamalert:cloudtrail_critical_api_calls:0':
    'placeholder record ("..." ids) of DeleteSubnet: deleting a subnet removes network reach, it does not open any; the source lists it as a critical API call',
  'streamalert:cloudtrail_critical_api_calls:1':
    'placeholder record ("..." ids) of DeleteVpc: deleting a VPC removes network reach, it does not open any; the source lists it as a critical API call',

  // Informational source rules flagging ordinary changes.
  'panther:AWS.EC2.GatewayModified:0':
    'informational source rule (Severity Info): attaching an internet gateway exposes nothing until a route uses it, which network.internet-gateway-route-added reports',
  'panther:AWS.EC2.NetworkACLModified:0':
    'informational source rule (Severity Info): an egress allow-all entry is the default network ACL behaviour; ingress from the internet to sensitive ports is what we report',
  'panther:AWS.EC2.SecurityGroupModified:0':
    'informational source rule (Severity Info): SSH opened to 127.0.0.1/32 only is not exposure',
  'panther:AWS.EC2.VPCModified:0':
    'informational source rule (Severity Info): creating a VPC is routine',
  'panther:AWS.EC2.ManualSecurityGroupChange:0':
    'the source flags any security-group change made outside CloudFormation; the rule opens 443 to 0.0.0.0/16 (addresses 0.0.0.0–0.0.255.255), not the internet',
  'panther:AWS.CloudTrail.NetworkACLPermissiveEntry:0':
    'we report network ACL ingress from 0.0.0.0/0 only to sensitive ports or all ports (CIS 5.1, FSBP EC2.21); this entry opens TCP 700-702, which public subnets may need',

  // Traffic mirroring steps that change nothing.
  'panther:AWS.EC2.Traffic.Mirroring:2':
    'the CreateTrafficMirrorSession failed (Client.NetworkInterfaceNotSupported): no session exists, so nothing is mirrored',
  'panther:AWS.EC2.Traffic.Mirroring:4':
    'deleting a traffic mirror target dismantles mirroring; trailwarden treats it as resolving network.traffic-mirroring-prepared',

  // DB security group grants narrower than the internet.
  'panther:AWS.RDS.SecurityGroupIngressAuthorized:0':
    'the DB security group is opened to 203.0.113.0/24, not to the internet; we report only 0.0.0.0/0 or ::/0, as for VPC security groups',
  'panther:AWS.RDS.SecurityGroupIngressAuthorized:2':
    'the DB security group is opened to an EC2 security group of the same account, which is the recommended way to grant database access',

  // A change judged by another area.
  'panther:AWS.CloudTrail.VPCE.SensitiveAPICalls:0':
    'an UpdateTrail made through a VPC endpoint of the same account: the endpoint use is ordinary and the trail change is judged (and reported) by audit.cloudtrail-weakened',
};
