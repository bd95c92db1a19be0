/**
 * Corpus events of the iam area where trailwarden deliberately disagrees with the source's label,
 * each with a one-line reason. The agreement test fails on a disagreement missing here and on an
 * entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  // Intake refuses the event: it is truncated or holds placeholders.
  'panther:AWS.CloudTrail.Password.Policy.Discovery:1':
    'intake refuses it: lower-case CloudTrail keys (eventname, useridentity) and no sourceIPAddress; a strict parser does not read it (the source matches keys case-insensitively)',
  'panther:AWS.CloudTrail.PasswordSpraying:0':
    'intake refuses it: the record has no eventTime (also no eventID, sourceIPAddress); the source rule is disabled by default and needs many sign-ins across users, a volume rule',
  'panther:AWS.CloudTrail.PasswordSpraying:3':
    'intake refuses it: the record has no eventTime (also no eventID, sourceIPAddress); the source rule is disabled by default and needs many sign-ins across users, a volume rule',
  'panther:AWS.Console.Sign-In:0':
    'intake refuses it: no userIdentity and no recipientAccountId, so the event names no account; the source rule is informational (Severity Info) anyway',
  'panther:Retrieve.SSO.access.token:0':
    'intake refuses it: no eventTime, awsRegion or eventType, placeholder values; an informational source rule (Severity Info) about an ordinary SSO token request',
  'panther:Sign-in.with.AWS.CLI.prompt:0':
    'intake refuses it: eventTime is the placeholder "..."; an informational source rule (Severity Info) about an ordinary CLI sign-in',
  'streamalert:cloudtrail_root_account_usage:0':
    'intake refuses it: the envelope\'s time is the placeholder "...", its account a number, and most fields are "..." placeholders; a real root sign-in is reported by iam.root-account-used',

  // The corpus labels the same event both ways under two rules: one of the rows must disagree.
  'panther:AWS.Console.LoginWithoutMFA:7':
    'same event as AWS.Console.LoginWithoutMFA:0 (labelled a violation): we flag an IAM user console sign-in without MFA (CIS 1.10); this row clears it only under a mocked account-age lookup',
  'panther:AWS.Console.LoginWithoutSAML:1':
    'same event as AWS.Console.LoginWithoutMFA:4 (labelled compliant): an IAM user signing in with MFA; the source rule is disabled by default and needs an organization policy requiring SAML that trailwarden has no setting for',
  'panther:AWS.Console.RootLoginFailed:1':
    'same event as AWS.Console.RootLogin:0 and AWS.Root.Activity:4 (labelled violations): a successful root sign-in without MFA (iam.root-account-used, CIS 1.7); this row is labelled only against the failed-root-login rule',
  'panther:AWS.IAM.CreateRole:1':
    'same event as AWS.IAM.AttachAdminUserPolicy:0 (labelled a violation): AttachUserPolicy of AdministratorAccess (iam.administrator-access-granted); this row is labelled only against the CreateRole rule',
  'panther:AWS.IAM.CreateUser:1':
    'same event as AWS.IAM.AttachAdminUserPolicy:0 (labelled a violation): AttachUserPolicy of AdministratorAccess (iam.administrator-access-granted); this row is labelled only against the CreateUser rule',
  'panther:Role.Assumed.by.AWS.Service:0':
    'same event as Role.Assumed.by.User:0 (labelled compliant), and the source rule is disabled by default: Lambda assuming its execution role is how every function runs',
  'panther:Standard.ImpossibleTravel.Login:1':
    'same event as Standard.ImpossibleTravel.Login:2 (labelled a violation): we flag an IAM user console sign-in without MFA (CIS 1.10); this row clears it only under a mocked empty geolocation history',

  // The source rule is disabled by default (enabled: false) and rests on organization-specific context.
  'panther:AWS.IAM.Group.Read.Only.Events:0':
    'source rule disabled by default and creating no alert (Configuration Required): reading IAM groups, here by CloudFormation for a stack, changes nothing',
  'panther:AWS.IAM.Group.Read.Only.Events:1':
    'source rule disabled by default and creating no alert (Configuration Required): reading IAM groups, here by CloudFormation for a stack, changes nothing',
  'panther:AWS.IAM.Group.Read.Only.Events:2':
    'source rule disabled by default and creating no alert (Configuration Required): reading IAM groups, here by CloudFormation for a stack, changes nothing',
  'panther:AWS.IAM.Group.Read.Only.Events:3':
    'source rule disabled by default and creating no alert (Configuration Required): reading IAM groups, here by CloudFormation for a stack, changes nothing',
  'panther:AWS.IAM.Group.Read.Only.Events:4':
    'source rule disabled by default and creating no alert (Configuration Required): reading IAM groups, here by CloudFormation for a stack, changes nothing',
  'panther:AWS.CloudTrail.IAMAssumeRoleBlacklistIgnored:0':
    'source rule disabled by default: it holds an organization-specific list of roles nobody should assume; assuming a role is otherwise ordinary',

  // Informational source rules recording every IAM policy change (CIS 4.4's metric filter).
  'panther:AWS.CloudTrail.IAMAnythingChanged:0':
    "informational source rule (Severity Info) recording every IAM change; a record of every policy change would also fire on the corpus's compliant rows (AttachAdmin*Policy:1, IAMCompromisedKeyQuarantine:1); dangerous grants are iam.administrator-access-granted",
  'panther:AWS.IAM.PolicyModified:0':
    "informational source rule (Severity Info): deleting a group's inline policy removes permissions; a record of every policy change would also fire on the corpus's compliant non-administrator attachments",

  // Placeholder or truncated records: the field that names the resource or the caller is missing.
  'streamalert:cloudtrail_mfa_policy_abuse_attempt:0':
    'placeholder record: userIdentity type and ARN are "...", and requestParameters name a subnet instead of a user or MFA device, so no user can be named',
  'streamalert:cloudtrail_mfa_policy_abuse_attempt:2':
    'placeholder record (identity "...") of a failed CreateVirtualMFADevice (EntityAlreadyExists): a failed call changed nothing and the caller cannot be named',
  'panther:AWS.IAM.BackdoorRole:0':
    'malformed record: UpdateAssumeRolePolicy with a policyDocument but without roleName (a required parameter), so the role cannot be named; with it, iam.role-trust-policy-open reports the Principal "*" trust',

  // We report what the event does; the source labels it only against a narrower rule.
  'panther:AWS.IAM.AttachAdminUserPolicy:1':
    'we deliberately flag any policy attached directly to an IAM user LOW (iam.user-policy-attached, CIS 1.15); the source rule is only about AdministratorAccess',
  'panther:AWS.CloudTrail.IAMCompromisedKeyQuarantine:1':
    'we deliberately flag any inline policy put directly on an IAM user LOW (iam.user-policy-attached, CIS 1.15); the source rule is only about the compromised-key quarantine policy',
  'panther:AWS.CloudTrail.LoginProfileCreatedOrModified:0':
    "we deliberately flag a role session setting an IAM user's console password without a forced reset; the source treats a session name equal to the user name as self-service, but session names are caller-chosen",
  'panther:AWS.User.Login.Profile.Modified:0':
    "we deliberately flag a role session setting an IAM user's console password without a forced reset; the source treats a session name equal to the user name as self-service, but session names are caller-chosen",
  'panther:AWS.Console.LoginWithoutMFA:5':
    'we deliberately flag each failed console sign-in LOW (iam.console-login-failed; thresholds come later); the source labels it only against its without-MFA rule',
  'panther:Standard.BruteForceByIP:0':
    'we deliberately flag a successful IAM user console sign-in without MFA (CIS 1.10); the source labels it only against its brute-force volume rule',
  'panther:Standard.BruteForceByUser:0':
    'we deliberately flag a successful IAM user console sign-in without MFA (CIS 1.10); the source labels it only against its brute-force volume rule',
  'panther:AWS.Root.Activity:0':
    'we deliberately flag any API call by the root user outside reviewing its own credentials (CIS 1.7, one finding per account); the source exempts CreateServiceLinkedRole',
  'panther:AWS.CloudTrail.RootAccessKeyCreated:1':
    'we deliberately flag it: the root user created an access key for an IAM user (root use, and a key created for another user); the source rule is only about keys for root itself',
  'panther:AWS.CloudTrail.UserAccessKeyAuth:0':
    'we deliberately flag each call refused for lack of permission LOW, keyed on the principal (iam.access-denied, CIS 4.1; thresholds come later); the source rule is about access-key authentication',
  'panther:AWS.STS.GetSessionToken.Misuse:1':
    'we deliberately flag each call refused for lack of permission LOW, keyed on the principal (iam.access-denied, CIS 4.1; thresholds come later); the source rule is about successful GetSessionToken',
  'panther:AWS.STS.GetCallerIdentity.TruffleHog:3':
    "we deliberately flag any call made with TruffleHog's user agent (iam.offensive-tool-used); the source rule looks only at GetCallerIdentity",
};
