/**
 * The findings API behind an API Gateway HTTP API (payload format 2.0), authorized by IAM
 * (SigV4): a thin shell over `handleApiRequest`. The caller's identity comes from
 * `requestContext.authorizer.iam` and is recorded as the actor of exemption changes. A request
 * that reaches the function without an IAM identity is refused (401): the route must be
 * configured with IAM authorization.
 *
 * A Lambda function answers in one piece, at most 6 MB: a streamed body (exports, reports) is
 * gathered here, and one that would not fit is stopped there (reading no further) and answered
 * 422 with the reason.
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleApiRequest, MAX_BODY_BYTES, type ApiBody, type ApiDeps } from '../../app/api/router';
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

/**
 * The most a body may take in the function's answer, as the JSON of that answer encodes it: Lambda's
 * 6 MB response limit, less room for the status and headers.
 */
export const MAX_RESPONSE_BODY_BYTES = 6 * 1024 * 1024 - 64 * 1024;

/** The whole body, or undefined when it would take more than `limit` bytes in the answer's JSON. */
export async function gatheredBody(body: ApiBody, limit = MAX_RESPONSE_BODY_BYTES): Promise<string | undefined> {
  const encodedSize = (text: string) => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
  if (typeof body === 'string') return encodedSize(body) <= limit ? body : undefined;
  const chunks: string[] = [];
  let size = 0;
  // Leaving the loop early stops the stream (its `return()`): nothing more is read.
  for await (const chunk of body) {
    size += encodedSize(chunk);
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return chunks.join('');
}

/** An error answered by this shell itself, as the router answers its own. */
function errorAnswer(statusCode: number, body: Record<string, string>): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** `export const handler = apiGatewayHandler(() => ({ store, controls }))`: deps are created once per execution environment. */
export function apiGatewayHandler(deps: ApiDeps | (() => ApiDeps)) {
  let resolved: ApiDeps | undefined;
  return async (event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
    resolved ??= typeof deps === 'function' ? deps() : deps;
    const actor = callerOf(event);
    if (!actor) return errorAnswer(401, { error: 'unauthorized' });
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
    let whole: string | undefined;
    try {
      whole = await gatheredBody(response.body);
    } catch (error) {
      // A read failing part way through a streamed body: the same bare 500 as a failure before it.
      resolved.onError?.(error);
      return errorAnswer(500, { error: 'internal error' });
    }
    if (whole === undefined) {
      return errorAnswer(422, {
        error: 'too large',
        reason: `the answer is larger than the ${MAX_RESPONSE_BODY_BYTES} bytes the API function can send: narrow the filters, or export with trailwarden serve or trailwarden findings --format`,
      });
    }
    return { statusCode: response.status, headers: response.headers, body: whole, isBase64Encoded: false };
  };
}
