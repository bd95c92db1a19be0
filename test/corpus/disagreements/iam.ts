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
    'intake refuses it: the record has no eventTime (also no eventID, sourceIPAddress); password spraying also needs many sign-ins across users, a volume rule',
  'panther:AWS.CloudTrail.PasswordSpraying:3':
    'intake refuses it: the record has no eventTime (also no eventID, sourceIPAddress); password spraying also needs many sign-ins across users, a volume rule',
  'panther:AWS.Console.Sign-In:0':
    'intake refuses it: no userIdentity and no recipientAccountId, so the event names no account; the source rule is informational (Severity Info) anyway',
  'panther:Retrieve.SSO.access.token:0':
    'intake refuses it: no eventTime, awsRegion or eventType, placeholder values; an informational source rule (Severity Info) about an ordinary SSO token request',
  'panther:Sign-in.with.AWS.CLI.prompt:0':
    'intake refuses it: eventTime is the placeholder "..."; an informational source rule (Severity Info) about an ordinary CLI sign-in',
  'streamalert:cloudtrail_root_account_usage:0':
    'intake refuses it: the envelope\'s account is a number and most fields are "..." placeholders; a real root sign-in is reported by iam.root-account-used',
  'streamalert:cloudtrail_mfa_policy_abuse_attempt:0':
    'placeholder record: userIdentity type and ARN are "...", and requestParameters name a subnet instead of a user or MFA device, so no user can be named',
  'streamalert:cloudtrail_mfa_policy_abuse_attempt:2':
    'placeholder record (identity "...") of a failed CreateVirtualMFADevice (EntityAlreadyExists): a failed call changed nothing and the caller cannot be named',

  // Informational source rules flagging ordinary activity.
  'panther:AWS.CloudTrail.UserAccessKeyAuth:1':
    'informational source rule (Severity Info): an IAM user calling sts:GetCallerIdentity with its access key is ordinary API use',
  'panther:AWS.CloudTrail.IAMAnythingChanged:0':
    'informational source rule (Severity Info) flagging every IAM change; attaching a non-administrator managed policy through CloudFormation is routine',
  'panther:AWS.IAM.CreateRole:0':
    'informational source rule (Severity Info): creating a role is routine; a role whose trust policy admits outsiders is reported by iam.role-trust-policy-open',
  'panther:AWS.IAM.Group.Read.Only.Events:0':
    'informational source rule (Severity Info) about reading IAM groups; a read by CloudFormation changes nothing',
  'panther:AWS.IAM.Group.Read.Only.Events:1':
    'informational source rule (Severity Info) about reading IAM groups; a read by CloudFormation changes nothing',
  'panther:AWS.IAM.Group.Read.Only.Events:2':
    'informational source rule (Severity Info) about reading IAM groups; a read by CloudFormation changes nothing',
  'panther:AWS.IAM.Group.Read.Only.Events:3':
    'informational source rule (Severity Info) about reading IAM groups; a read by CloudFormation changes nothing',
  'panther:AWS.IAM.Group.Read.Only.Events:4':
    'informational source rule (Severity Info) about reading IAM groups; a read by CloudFormation changes nothing',
  'panther:AWS.IAM.PolicyModified:0':
    'informational source rule (Severity Info): deleting a group\'s inline policy removes permissions, which is not a violation',
  'panther:AWS.IAM.CredentialsUpdated:0':
    'informational source rule (Severity Info): an IAM user changing their own password is routine (it resolves iam.user-credentials-created findings)',
  'panther:Role.Assumed.by.AWS.Service:0':
    'informational source rule (Severity Info): Lambda assuming its execution role is how every function runs',

  // The source's verdict rests on context or a list we do not have.
  'panther:AWS.CloudTrail.IAMAssumeRoleBlacklistIgnored:0':
    'needs context: the source rule holds an organization-specific list of roles nobody should assume; assuming a role is otherwise ordinary',
  'panther:AWS.Console.LoginWithoutSAML:1':
    'needs context: an IAM user signing in with MFA is compliant unless the organization requires SAML federation for everyone, a policy trailwarden has no setting for',

  // Truncated records: the field that names the resource is missing.
  'panther:AWS.IAM.BackdoorRole:0':
    'truncated record: UpdateAssumeRolePolicy without roleName (a required parameter), so the role cannot be named; with it, iam.role-trust-policy-open reports the Principal "*" trust',
  'panther:AWS.Suspicious.SAML.Activity:0':
    'truncated record: CreateSAMLProvider with no requestParameters or responseElements, so the provider cannot be named; with them iam.identity-provider-changed reports it',
  'panther:AWS.Suspicious.SAML.Activity:1':
    'truncated record of DeleteSAMLProvider (provider not named); deleting a provider removes a sign-in path, which trailwarden treats as resolving, not as a violation',
  'panther:AWS.Suspicious.SAML.Activity:3':
    'truncated record: UpdateSAMLProvider with no requestParameters, so the provider cannot be named; with them iam.identity-provider-changed reports it as HIGH',

  // The same event is positive under another rule: we report what it does.
  'panther:AWS.IAM.CreateRole:1':
    'we deliberately flag it: AttachUserPolicy of AdministratorAccess (iam.administrator-access-granted); the source labels it only against its CreateRole rule',
  'panther:AWS.IAM.CreateUser:1':
    'we deliberately flag it: AttachUserPolicy of AdministratorAccess (iam.administrator-access-granted); the source labels it only against its CreateUser rule',
  'panther:AWS.Console.RootLoginFailed:1':
    'we deliberately flag it: a successful root sign-in without MFA (iam.root-account-used, CIS 1.7); the source labels it only against its failed-root-login rule',
  'panther:AWS.Console.LoginWithoutMFA:7':
    'we deliberately flag an IAM user console sign-in without MFA (CIS 1.10); the source clears it only under a mocked account-age lookup',
  'panther:Standard.BruteForceByIP:0':
    'we deliberately flag a successful IAM user console sign-in without MFA (CIS 1.10); the source labels it only against its brute-force volume rule',
  'panther:Standard.BruteForceByUser:0':
    'we deliberately flag a successful IAM user console sign-in without MFA (CIS 1.10); the source labels it only against its brute-force volume rule',
  'panther:Standard.ImpossibleTravel.Login:1':
    'we deliberately flag a successful IAM user console sign-in without MFA (CIS 1.10); the source labels it only against its mocked geolocation history',
  'panther:AWS.Console.LoginWithoutMFA:5':
    'we deliberately flag each failed console sign-in LOW (iam.console-login-failed; thresholds come later); the source labels it only against its without-MFA rule',

  // Root activity: CIS asks that the root user not be used at all.
  'panther:AWS.Root.Activity:0':
    'we deliberately flag any API call by the root user (CIS 1.7, one finding per account); the source exempts CreateServiceLinkedRole',
  'panther:AWS.Root.Activity:5':
    'we deliberately flag any API call by the root user, reads included at MEDIUM (CIS 1.7, one finding per account); the source exempts the security-credentials page',
  'panther:AWS.CloudTrail.RootAccessKeyCreated:1':
    'we deliberately flag it: the root user created an access key for an IAM user (root use, and a key created for another user); the source rule is only about keys for root itself',

  // Credentials created or set for a user.
  'panther:AWS.CloudTrail.LoginProfileCreatedOrModified:0':
    'we deliberately flag a role session setting an IAM user\'s console password without a forced reset; the source treats a session name equal to the user name as self-service, but session names are caller-chosen',
  'panther:AWS.User.Login.Profile.Modified:0':
    'we deliberately flag a role session setting an IAM user\'s console password without a forced reset; the source treats a session name equal to the user name as self-service, but session names are caller-chosen',
  'panther:AWS.IAM.Backdoor.User.Keys:0':
    'we deliberately flag every new long-lived access key, a user\'s own at LOW (iam.user-credentials-created); the source reports only keys created for another user',

  // Single-event signals the source does not label here.
  'panther:AWS.CloudTrail.UserAccessKeyAuth:0':
    'we deliberately flag each call refused for lack of permission LOW, keyed on the principal (iam.access-denied, CIS 4.1; thresholds come later); the source rule is about access-key authentication',
  'panther:AWS.STS.GetSessionToken.Misuse:1':
    'we deliberately flag each call refused for lack of permission LOW, keyed on the principal (iam.access-denied, CIS 4.1; thresholds come later); the source rule is about successful GetSessionToken',
  'panther:AWS.STS.GetCallerIdentity.TruffleHog:3':
    'we deliberately flag any call made with TruffleHog\'s user agent (iam.offensive-tool-used); the source rule looks only at GetCallerIdentity',
};
