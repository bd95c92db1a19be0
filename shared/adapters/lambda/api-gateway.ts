/**
 * The findings API behind an API Gateway HTTP API (payload format 2.0), authorized by IAM
 * (SigV4): a thin shell over `handleApiRequest`. The caller's identity comes from
 * `requestContext.authorizer.iam` and is recorded as the actor of exemption changes. A request
 * that reaches the function without an IAM identity is refused (401): the route must be
 * configured with IAM authorization.
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleApiRequest, MAX_BODY_BYTES, type ApiDeps } from '../../app/api/router';
import { parseQueryString } from '../../app/api/validate';

/** The caller as IAM names it: the principal's ARN, else its account and caller id. */
export function callerOf(event: APIGatewayProxyEventV2WithIAMAuthorizer): string | undefined {
  const iam = event.requestContext?.authorizer?.iam;
  if (!iam) return undefined;
  if (iam.userArn) return iam.userArn;
  if (iam.accountId && iam.callerId) return `${iam.accountId}:${iam.callerId}`;
  return undefined;
}

/** The request path without the stage prefix that named (non-$default) stages add to rawPath. */
function pathOf(event: APIGatewayProxyEventV2WithIAMAuthorizer): string {
  const raw = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  const stage = event.requestContext?.stage;
  if (stage && stage !== '$default' && (raw === `/${stage}` || raw.startsWith(`/${stage}/`))) return raw.slice(stage.length + 1) || '/';
  return raw;
}

/** `export const handler = apiGatewayHandler(() => ({ store, controls }))`: deps are created once per execution environment. */
export function apiGatewayHandler(deps: ApiDeps | (() => ApiDeps)) {
  let resolved: ApiDeps | undefined;
  return async (event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
    resolved ??= typeof deps === 'function' ? deps() : deps;
    const actor = callerOf(event);
    if (!actor) {
      return {
        statusCode: 401,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        body: JSON.stringify({ error: 'unauthorized' }),
      };
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
    let body = event.body;
    if (body !== undefined && event.isBase64Encoded) {
      if (body.length > Math.ceil((MAX_BODY_BYTES * 4) / 3) + 4) body = 'x'.repeat(MAX_BODY_BYTES + 1);
      else body = Buffer.from(body, 'base64').toString('utf8');
    }
    // IAM authorizes the caller: the router's bearer token is for the local server only.
    const { token: _local, ...apiDeps } = resolved;
    const response = await handleApiRequest(
      {
        method: event.requestContext?.http?.method ?? 'GET',
        path: pathOf(event),
        query: parseQueryString(event.rawQueryString),
        headers,
        ...(body !== undefined ? { body } : {}),
        actor,
      },
      apiDeps,
    );
    return { statusCode: response.status, headers: response.headers, body: response.body, isBase64Encoded: false };
  };
}
