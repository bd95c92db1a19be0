/**
 * Corpus events of the image area where trailwarden deliberately disagrees with the source's label,
 * each with a one-line reason. The agreement test fails on a disagreement missing here and on an
 * entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  // Image pushes: the source rules are informational activity logs (Severity Info) on every PutImage.
  'panther:AWS.ECR.CRUD:0':
    'informational source rule (Severity Info) that logs ECR image pushes; pushing an image by tag is routine, and its risks (mutable tags, missing scans, vulnerabilities) have their own image controls',
  'panther:AWS.ECR.CRUD:2':
    'informational source rule (Severity Info) that logs ECR image pushes; pushing an image by tag is routine, and its risks (mutable tags, missing scans, vulnerabilities) have their own image controls',
  'panther:AWS.ECR.EVENTS:0':
    'informational source rule (Severity Info) that logs ECR API calls from a watched account; a PutImage by a user is routine',
  'panther:AWS.ECR.EVENTS:1':
    'informational source rule (Severity Info) that logs ECR API calls from a watched account; a PutImage by a user is routine',
};
