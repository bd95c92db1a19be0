/**
 * Corpus rows of the iam area that are judged (their rule's concern has controls, intake reads them) and on
 * which trailwarden deliberately disagrees with the source's label, each with a one-line reason. The agreement
 * test fails on a disagreement missing here and on an entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  'panther:AWS.CloudTrail.LoginProfileCreatedOrModified:0':
    "we deliberately flag a role session setting an IAM user's console password without a forced reset; the source treats a session name equal to the user name as self-service, but session names are caller-chosen",
  'panther:AWS.Console.LoginWithoutMFA:7':
    'same event as AWS.Console.LoginWithoutMFA:0 (labelled a violation): we flag an IAM user console sign-in without MFA (CIS 1.10); this row clears it only under a mocked account-age lookup',
  'panther:AWS.Console.LoginWithoutSAML:1':
    'same event as AWS.Console.LoginWithoutMFA:4 (labelled compliant): an IAM user signing in with MFA; the source rule is disabled by default and needs an organization policy requiring SAML that trailwarden has no setting for',
  'panther:AWS.CloudTrail.IAMAnythingChanged:0':
    "informational source rule (Severity Info) recording every IAM change; a record of every policy change would also fire on the corpus's compliant rows (AttachAdmin*Policy:1, IAMCompromisedKeyQuarantine:1); dangerous grants are iam.administrator-access-granted",
  'panther:AWS.IAM.BackdoorRole:0':
    'malformed record: UpdateAssumeRolePolicy with a policyDocument but without roleName (a required parameter), so the role cannot be named; with it, iam.role-trust-policy-open reports the Principal "*" trust',
  'panther:AWS.IAM.PolicyModified:0':
    "informational source rule (Severity Info): deleting a group's inline policy removes permissions; a record of every policy change would also fire on the corpus's compliant non-administrator attachments",
  'panther:AWS.Root.Activity:0':
    'we deliberately flag any API call by the root user outside reviewing its own credentials (CIS 1.7, one finding per account); the source exempts CreateServiceLinkedRole',
  'panther:AWS.STS.GetCallerIdentity.TruffleHog:3':
    "we deliberately flag any call made with TruffleHog's user agent (iam.offensive-tool-used); the source rule looks only at GetCallerIdentity",
  'panther:AWS.User.Login.Profile.Modified:0':
    "we deliberately flag a role session setting an IAM user's console password without a forced reset; the source treats a session name equal to the user name as self-service, but session names are caller-chosen",
  'streamalert:cloudtrail_mfa_policy_abuse_attempt:0':
    'placeholder record: userIdentity type and ARN are "...", and requestParameters name a subnet instead of a user or MFA device, so no user can be named',
  'streamalert:cloudtrail_mfa_policy_abuse_attempt:2':
    'placeholder record (identity "...") of a failed CreateVirtualMFADevice (EntityAlreadyExists): a failed call changed nothing and the caller cannot be named',
};
