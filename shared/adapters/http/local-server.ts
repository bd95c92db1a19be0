/**
 * The local HTTP shell (node:http): /api/ goes to `handleApiRequest` with the bearer token
 * required; everything else is the dashboard's static files, read from one directory and never
 * outside it. Every answer carries `Content-Security-Policy: default-src 'self'; frame-ancestors 'none'`
 * (with `X-Frame-Options: DENY` for browsers before CSP level 2: no page may frame the dashboard) and
 * `X-Content-Type-Options: nosniff`. A streamed answer (exports, reports) is written chunk by chunk
 * as the client reads it (chunked transfer encoding; a full socket buffer waits for 'drain'), and
 * stops, freeing its export slot, when the client goes away or reads nothing for STALLED_CLIENT_MS.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { realpath, readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { handleApiRequest, MAX_BODY_BYTES, type ApiDeps, type ApiResponse } from '../../app/api/router';
import { parseQueryString } from '../../app/api/validate';

export interface LocalServerOptions {
  api: ApiDeps & { token: string };
  /** The dashboard's built files (dist/dashboard); when missing, / explains how to build them. */
  staticDir: string;
  /** Recorded as the actor of exemption changes made through this server. */
  actor: string;
  onError?: (error: unknown) => void;
  /** See STALLED_CLIENT_MS. */
  stalledClientMs?: number;
}

export const BASE_HEADERS = {
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A streamed answer whose client has read nothing for this long is abandoned (its export slot freed). */
export const STALLED_CLIENT_MS = 60_000;

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const NOT_BUILT =
  'trailwarden: the dashboard is not built. Run `npm run build`, then reload this page.\nThe API is at /api/ (Authorization: Bearer <token>).\n';

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer, head = false): void {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...BASE_HEADERS, ...headers, 'content-length': String(payload.length) });
  res.end(head ? undefined : payload);
}

class BodyTooLarge extends Error {}

/** The client closed the connection, or stopped reading, before a streamed answer ended. */
class ClientGone extends Error {}

/** Resolves when the response can take more, rejects with ClientGone when it never will. */
function drained(res: ServerResponse, stalledMs: number): Promise<void> {
  return new Promise((resolveDrain, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      if (error) reject(error);
      else resolveDrain();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new ClientGone('the client closed the connection'));
    const timer = setTimeout(() => settle(new ClientGone(`the client read nothing for ${stalledMs} ms`)), stalledMs);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * Writes a streamed body as it is produced, never faster than the client reads: the next chunk is
 * asked for only once the socket took the previous one. The stream is always ended or stopped
 * (`for await` calls its `return()` on a break or a throw), which frees what it holds.
 */
async function sendStream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: AsyncIterable<string>,
  head: boolean,
  stalledMs: number,
): Promise<void> {
  res.writeHead(status, { ...BASE_HEADERS, ...headers });
  if (head) {
    await body[Symbol.asyncIterator]().return?.();
    res.end();
    return;
  }
  try {
    for await (const chunk of body) {
      if (res.destroyed) throw new ClientGone('the client closed the connection');
      if (!res.write(chunk)) await drained(res, stalledMs);
    }
  } catch (error) {
    if (!(error instanceof ClientGone)) throw error;
    res.destroy();
    return;
  }
  res.end();
}

/** Beyond this, a too-large request is cut off instead of read to its end for a clean 413. */
const MAX_DRAINED_BYTES = 8 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Too large: keep reading (and dropping) so the client can finish sending and read the 413.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAINED_BYTES) req.destroy();
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(new BodyTooLarge()) : resolveBody(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/** The file a URL path names inside `root`, or undefined when it names none (or anything outside). */
export async function staticFileOf(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((segment) => segment.startsWith('.'))) {
    return undefined;
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return undefined;
  }
  const candidate = resolve(realRoot, relative);
  if (!candidate.startsWith(realRoot + sep)) return undefined;
  try {
    // Symbolic links must not lead outside either.
    const real = await realpath(candidate);
    if (!real.startsWith(realRoot + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL, options: LocalServerOptions): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    send(res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'method not allowed\n');
    return;
  }
  const built = await stat(options.staticDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!built) {
    if (url.pathname === '/' || url.pathname === '/index.html')
      send(res, 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, NOT_BUILT, head);
    else send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found\n', head);
    return;
  }
  const file = await staticFileOf(options.staticDir, url.pathname);
  if (!file) {
    send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found\n', head);
    return;
  }
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  send(res, 200, { 'content-type': contentType, 'cache-control': 'no-cache' }, await readFile(file), head);
}

async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL, options: LocalServerOptions): Promise<void> {
  let body: string | undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE') {
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        send(
          res,
          413,
          { 'content-type': 'application/json; charset=utf-8', connection: 'close' },
          JSON.stringify({ error: 'request body too large' }),
        );
        return;
      }
      throw error;
    }
  }
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const response: ApiResponse = await handleApiRequest(
    {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: parseQueryString(url.search),
      headers,
      ...(body !== undefined ? { body } : {}),
      actor: options.actor,
    },
    options.api,
  );
  const head = req.method === 'HEAD';
  if (typeof response.body === 'string') send(res, response.status, response.headers, response.body, head);
  else await sendStream(res, response.status, response.headers, response.body, head, options.stalledClientMs ?? STALLED_CLIENT_MS);
}

/** The server, not listening yet: `server.listen(port, host)`. */
export function createLocalServer(options: LocalServerOptions): Server {
  return createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      send(res, 400, { 'content-type': 'text/plain; charset=utf-8' }, 'bad request\n');
      return;
    }
    const work =
      url.pathname === '/api' || url.pathname.startsWith('/api/') ? serveApi(req, res, url, options) : serveStatic(req, res, url, options);
    work.catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent)
        send(res, 500, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ error: 'internal error' }));
      else res.destroy();
    });
  });
}
