import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { LAMBDA_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { isPublicAllow, parseJsonDocument, statementsOf } from '../../kernel/policy';

/**
 * Lambda logs its API calls under versioned names (`AddPermission20150331v2`,
 * `CreateFunctionUrlConfig20211031`); the plain names are matched as well.
 */
const URL_CHANGES = [
  'CreateFunctionUrlConfig20211031',
  'UpdateFunctionUrlConfig20211031',
  'CreateFunctionUrlConfig',
  'UpdateFunctionUrlConfig',
];
const URL_DELETIONS = ['DeleteFunctionUrlConfig20211031', 'DeleteFunctionUrlConfig'];
const PERMISSION_ADDED = ['AddPermission20150331v2', 'AddPermission20150331', 'AddPermission'];
const PERMISSION_REMOVED = ['RemovePermission20150331v2', 'RemovePermission20150331', 'RemovePermission'];
const FUNCTION_URL = 'function URL';
const statementQualifier = (sid: string) => `statement ${sid}`;

/** The function a call names (name, partial or full ARN; a version or alias qualifier dropped), as its ARN. */
function functionArnOf(event: EventBridgeEvent): string | undefined {
  const reference = asString(requestOf(event).functionName) ?? asString(responseOf(event).functionArn);
  if (!reference) return undefined;
  const name = /(?:^|:)function:([^:]+)/.exec(reference)?.[1] ?? reference.split(':')[0];
  return name ? arnIn(event, 'lambda', `function:${name}`) : undefined;
}

function urlViolation(event: EventBridgeEvent, functionArn: string): Violation[] {
  const request = requestOf(event);
  if (asString(request.authType) !== 'NONE') return [];
  const url = asString(responseOf(event).functionUrl);
  return [
    {
      resourceId: functionArn,
      resourceType: 'AWS::Lambda::Function',
      qualifier: FUNCTION_URL,
      message: `Lambda function ${functionArn} has a function URL${url ? ` (${url})` : ''} with AuthType NONE: anyone on the internet can invoke it (${principalOf(event)})`,
      evidence: {
        functionName: request.functionName ?? null,
        authType: request.authType,
        ...(url ? { functionUrl: url } : {}),
        ...(request.qualifier !== undefined ? { qualifier: request.qualifier } : {}),
        userIdentity: callerEvidenceOf(event),
      },
    },
  ];
}

function permissionViolation(event: EventBridgeEvent, functionArn: string): Violation[] {
  const request = requestOf(event);
  const statement = parseJsonDocument(responseOf(event).statement);
  const statements =
    statement && typeof statement === 'object' && !Array.isArray(statement) && !('Statement' in statement)
      ? [statement as Record<string, unknown>]
      : statementsOf(statement);
  const open = statements.filter(isPublicAllow);
  // Without the response, the request's own principal and conditions decide.
  const requestOpen =
    statements.length === 0 &&
    asString(request.principal) === '*' &&
    request.sourceArn === undefined &&
    request.sourceAccount === undefined &&
    request.principalOrgID === undefined;
  if (open.length === 0 && !requestOpen) return [];
  const sid = asString(request.statementId) ?? asString(open[0]?.Sid) ?? 'unnamed';
  return [
    {
      resourceId: functionArn,
      resourceType: 'AWS::Lambda::Function',
      qualifier: statementQualifier(sid),
      message: `Lambda function ${functionArn} lets any principal call ${asString(request.action) ?? 'it'} (policy statement ${sid}, added by ${principalOf(event)})`,
      evidence: {
        functionName: request.functionName ?? null,
        statementId: request.statementId ?? null,
        action: request.action ?? null,
        principal: request.principal ?? null,
        userIdentity: callerEvidenceOf(event),
      },
    },
  ];
}

/**
 * A Lambda function anyone can invoke: a function URL created or changed with AuthType NONE (no
 * IAM authentication: the URL is a public HTTPS endpoint), or a resource-based policy statement
 * (AddPermission) for every principal without a condition naming a source account, ARN or
 * organization. Either way the function — and the permissions of its execution role — answer to
 * anyone who finds it, a known way to plant a backdoor. The finding is on the function, one for the
 * URL and one per open statement; an authenticated URL, a deleted URL, or the statement removed
 * resolves it.
 */
export const lambdaFunctionPublic: Control = {
  id: 'network.lambda-function-public',
  area: 'network',
  title: 'Lambda function invocable by anyone (public function URL or resource policy)',
  severity: 'HIGH',
  rationale:
    'A function URL without authentication, or a policy statement for Principal "*", lets anyone on the internet run the function with its execution role’s permissions; attackers add one to keep a callable entry point into the account.',
  runbook: [
    'Confirm with the function’s owner that it must be public (userIdentity of the event); a public webhook should still check a signature in its code.',
    'Require IAM authentication on the URL: Lambda console → <function> → Configuration → Function URL → Edit → Auth type AWS_IAM; CLI `aws lambda update-function-url-config --function-name <fn> --auth-type AWS_IAM`, or remove it: `aws lambda delete-function-url-config --function-name <fn>`.',
    'Remove an open policy statement: Lambda console → Configuration → Permissions → Resource-based policy statements → Delete; CLI `aws lambda remove-permission --function-name <fn> --statement-id <sid>`; grant callers by account, ARN or organization instead (`--source-arn`, `--source-account`, `--principal-org-id`).',
    'Review the function’s recent invocations and code changes (UpdateFunctionCode) for a planted backdoor.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'Lambda.1' },
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-21' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(LAMBDA_SOURCE, [...URL_CHANGES, ...PERMISSION_ADDED])],
  evaluate(event) {
    const functionArn = functionArnOf(event);
    if (!functionArn) return [];
    const eventName = recordOf(event).eventName ?? '';
    return URL_CHANGES.includes(eventName) ? urlViolation(event, functionArn) : permissionViolation(event, functionArn);
  },
  resolution: {
    description: 'UpdateFunctionUrlConfig to AuthType AWS_IAM or DeleteFunctionUrlConfig (the URL); RemovePermission of the same statement',
    patterns: [apiCallPattern(LAMBDA_SOURCE, [...URL_CHANGES, ...URL_DELETIONS, ...PERMISSION_REMOVED])],
    resolve(event): Resolution[] {
      const functionArn = functionArnOf(event);
      if (!functionArn) return [];
      const eventName = recordOf(event).eventName ?? '';
      const request = requestOf(event);
      if (URL_DELETIONS.includes(eventName))
        return [{ resourceId: functionArn, qualifier: FUNCTION_URL, message: `The function URL of ${functionArn} was deleted` }];
      if (URL_CHANGES.includes(eventName)) {
        return asString(request.authType) === 'AWS_IAM'
          ? [
              {
                resourceId: functionArn,
                qualifier: FUNCTION_URL,
                message: `The function URL of ${functionArn} now requires IAM authentication`,
              },
            ]
          : [];
      }
      const sid = asString(request.statementId);
      return sid
        ? [
            {
              resourceId: functionArn,
              qualifier: statementQualifier(sid),
              message: `Policy statement ${sid} was removed from ${functionArn}`,
            },
          ]
        : [];
    },
  },
};
