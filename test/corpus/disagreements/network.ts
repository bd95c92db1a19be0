/**
 * Corpus rows of the network area that are judged (their rule's concern has controls, intake reads them) and on
 * which trailwarden deliberately disagrees with the source's label, each with a one-line reason. The agreement
 * test fails on a disagreement missing here and on an entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  'panther:AWS.EC2.Traffic.Mirroring:2':
    'the CreateTrafficMirrorSession failed (Client.NetworkInterfaceNotSupported): no session exists, so nothing is mirrored',
  'panther:AWS.EC2.Traffic.Mirroring:4':
    'deleting a traffic mirror target dismantles mirroring; trailwarden treats it as resolving network.traffic-mirroring-prepared',
};
