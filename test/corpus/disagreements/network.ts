/**
 * Corpus events of the network area where trailwarden deliberately disagrees with the source's label,
 * each with a one-line reason. The agreement test fails on a disagreement missing here and on an
 * entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  // Intake refuses the event: it is truncated or holds placeholders.
  'panther:AWS.CloudTrail.VPCE.S3ExternalIP:0':
    "intake refuses it: the record has no awsRegion (nor eventID, eventVersion); the source rule also needs to know which addresses are the VPC's own",
  'streamalert:cloudtrail_network_acl_ingress_anywhere:0':
    'intake refuses it: the envelope\'s account is a number and the entry\'s fields are "..." placeholders; a real open entry is judged by network.network-acl-open-to-internet',
  'streamalert:cloudtrail_security_group_ingress_anywhere:0':
    'intake refuses it: the envelope\'s account is a number and the rule\'s fields are "..." placeholders; a real open rule is judged by network.security-group-open-to-internet',

  // Traffic mirroring steps that change nothing.
  'panther:AWS.EC2.Traffic.Mirroring:2':
    'the CreateTrafficMirrorSession failed (Client.NetworkInterfaceNotSupported): no session exists, so nothing is mirrored',
  'panther:AWS.EC2.Traffic.Mirroring:4':
    'deleting a traffic mirror target dismantles mirroring; trailwarden treats it as resolving network.traffic-mirroring-prepared',

  // A change judged by another area.
};
