/**
 * Corpus events of the runtime area where trailwarden deliberately disagrees with the source's label,
 * each with a one-line reason. The agreement test fails on a disagreement missing here and on an
 * entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  // GuardDuty trusted IP list created: runtime.guardduty-trusted-ip-list reports an active list, but these rows never reach it.
  'panther:AWS.IPSet.Modified:0':
    'intake refuses the event: lower-case CloudTrail keys (eventname, eventsource) and no userIdentity or requestParameters, so there is no list or activate flag to check',
  'panther:AWS.IPSet.Modified:1':
    'intake refuses the event: lower-case CloudTrail keys (eventname, eventsource) and no userIdentity or requestParameters, so there is no list or activate flag to check',
};
