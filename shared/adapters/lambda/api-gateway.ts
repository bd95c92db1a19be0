/**
 * The findings API behind an API Gateway HTTP API (payload format 2.0), authorized by IAM
 * (SigV4): a thin shell over `handleApiRequest`. The caller's identity comes from
 * `requestContext.authorizer.iam` and is recorded as the actor of exemption changes. A request
 * that reaches the function without an IAM identity is refused (401): the route must be
 * configured with IAM authorization.
 *
 * A Lambda function answers in one piece, at most 6 MB: a streamed body (exports, reports) is
 * gathered here. An export or report that would not fit is, when a LargeAnswerStore is wired
 * (`largeAnswers`), written there as it is read on, and answered 303 See Other with a short-lived
 * link to it (CONTRACT.md, "Large answers"); without one, it is stopped there (reading no further)
 * and answered 422 with the reason. Any other answer is never stored.
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { answerReference, documentFilename, type LargeAnswerStore } from '../../app/api/large-answers';
import { handleApiRequest, MAX_BODY_BYTES, RETRY_AFTER_SECONDS, type ApiBody, type ApiDeps } from '../../app/api/router';
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
 * 6 MB response limit, less room for the status and headers. Lambda counts the whole JSON the handler
 * returns — status, headers and the body as a JSON string, escapes included (base64 would add a third:
 * no answer here is base64) — against "Invocation payload (request and response): 6 MB each for
 * request and response (synchronous)", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 * ("For synchronous invocations, the maximum payload size is 6 MB",
 * https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html). The HTTP API passes what fits through.
 */
export const MAX_RESPONSE_BODY_BYTES = 6 * 1024 * 1024 - 64 * 1024;

const encodedSize = (text: string) => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;

/** A body read up to a limit: whole, or what was read so far and the unread rest (still open). */
type Gathered = { whole: string } | { head: string[]; rest: AsyncIterator<string> };

const NOTHING_MORE: AsyncIterator<string> = { next: async () => ({ done: true, value: undefined }) };

/** Reads `body` until it ends or would take more than `limit` bytes in the answer's JSON. */
async function gather(body: ApiBody, limit: number): Promise<Gathered> {
  if (typeof body === 'string') return encodedSize(body) <= limit ? { whole: body } : { head: [body], rest: NOTHING_MORE };
  const rest = body[Symbol.asyncIterator]();
  const head: string[] = [];
  let size = 0;
  for (;;) {
    const next = await rest.next();
    if (next.done) return { whole: head.join('') };
    head.push(next.value);
    size += encodedSize(next.value);
    if (size > limit) return { head, rest };
  }
}

/** The whole body, or undefined when it would take more than `limit` bytes in the answer's JSON. */
export async function gatheredBody(body: ApiBody, limit = MAX_RESPONSE_BODY_BYTES): Promise<string | undefined> {
  const gathered = await gather(body, limit);
  if ('whole' in gathered) return gathered.whole;
  // Stops the stream (its `return()`): nothing more is read.
  await gathered.rest.return?.();
  return undefined;
}

/** What an overflowing body's store reads: the chunks already read, then the rest; `failed` tells the rest's own failure apart. */
async function* resumed(head: string[], rest: AsyncIterator<string>, failed: { source?: unknown }): AsyncGenerator<string> {
  while (head.length > 0) yield head.shift()!;
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await rest.next();
    } catch (error) {
      failed.source = error;
      throw error;
    }
    if (next.done) return;
    yield next.value;
  }
}

/** Where exports and reports too large to answer inline go (ANSWERS_BUCKET in the stack). */
export interface LargeAnswers {
  store: LargeAnswerStore;
  /** Bodies up to this many bytes (in the answer's JSON) are answered inline; default MAX_RESPONSE_BODY_BYTES. */
  inlineLimit?: number;
}

/** The routes whose answers may be stored: the documents (exports and reports). */
const isDocumentPath = (path: string) => path === '/api/export' || /^\/api\/reports\/[^/]+$/.test(path);

/** An error answered by this shell itself, as the router answers its own. */
function errorAnswer(
  statusCode: number,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/**
 * `export const handler = apiGatewayHandler(() => ({ store, controls }), () => largeAnswers)`: deps
 * (and where large answers go, if anywhere) are created once per execution environment.
 */
export function apiGatewayHandler(deps: ApiDeps | (() => ApiDeps), largeAnswers?: LargeAnswers | (() => LargeAnswers | undefined)) {
  let resolved: ApiDeps | undefined;
  let large: { answers: LargeAnswers | undefined } | undefined;
  return async (event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
    resolved ??= typeof deps === 'function' ? deps() : deps;
    large ??= { answers: typeof largeAnswers === 'function' ? largeAnswers() : largeAnswers };
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
    const path = pathOf(event);
    const query = parseQueryString(event.rawQueryString);
    const response = await handleApiRequest(
      {
        method: event.requestContext?.http?.method ?? 'GET',
        path,
        query,
        headers,
        ...(body !== undefined ? { body } : {}),
        actor,
      },
      apiDeps,
    );
    const answers = large.answers;
    const limit = answers?.inlineLimit ?? MAX_RESPONSE_BODY_BYTES;
    let gathered: Gathered;
    try {
      gathered = await gather(response.body, limit);
    } catch (error) {
      // A read failing part way through a streamed body: the same bare 500 as a failure before it.
      resolved.onError?.(error);
      return errorAnswer(500, { error: 'internal error' });
    }
    if ('whole' in gathered)
      return { statusCode: response.status, headers: response.headers, body: gathered.whole, isBase64Encoded: false };
    if (!answers || response.status !== 200 || !isDocumentPath(path)) {
      await gathered.rest.return?.();
      return errorAnswer(422, {
        error: 'too large',
        reason: `the answer is larger than the ${limit} bytes the API function can send: narrow the filters, or export with trailwarden serve or trailwarden findings --format`,
      });
    }
    return storedAnswer(answers.store, response.headers['content-type'], gathered, { path, format: query.format?.[0] }, resolved);
  };
}

/**
 * A document too large to answer inline, stored as it is read on: 303 See Other to its link ("the
 * server is redirecting the user agent to a different resource, as indicated by a URI in the Location
 * header field, which is intended to provide an indirect response to the original request", RFC 9110
 * §15.4.4), the link and its expiry in the body too for clients that do not follow redirects. The
 * stream is always ended or stopped (freeing its export slot), whatever the store did with it. A
 * read of the document failing is a bare 500 as ever; the store failing, a 503 the client may retry.
 */
async function storedAnswer(
  store: LargeAnswerStore,
  contentType: string | undefined,
  { head, rest }: { head: string[]; rest: AsyncIterator<string> },
  route: { path: string; format: string | undefined },
  deps: ApiDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const type = contentType ?? 'application/octet-stream';
  const failed: { source?: unknown } = {};
  try {
    const stored = await store.store({
      contentType: type,
      filename: documentFilename(route.path, route.format, type),
      chunks: resumed(head, rest, failed),
    });
    return {
      statusCode: 303,
      headers: {
        location: stored.url,
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: JSON.stringify(answerReference(stored, type)),
      isBase64Encoded: false,
    };
  } catch (error) {
    deps.onError?.(error);
    if ('source' in failed) return errorAnswer(500, { error: 'internal error' });
    return errorAnswer(
      503,
      {
        error: 'unavailable',
        reason: 'the answer is too large to send inline and could not be stored for download: retry shortly, or narrow the filters',
      },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  } finally {
    try {
      await rest.return?.();
    } catch (error) {
      deps.onError?.(error);
    }
  }
}
