/**
 * A local EventBridge PutEvents endpoint on 127.0.0.1 and a random port, speaking the service's
 * AWS JSON 1.1 protocol as the real SDK client sends it (read from @aws-sdk/core's JSON-RPC
 * protocol and @aws-sdk/client-eventbridge: `POST /`, `content-type: application/x-amz-json-1.1`,
 * `x-amz-target: AWSEvents.PutEvents`, the input as a JSON body). It answers the way the API
 * Reference describes: one result per entry, in order, an EventId for an accepted entry and
 * ErrorCode/ErrorMessage for a failed one, FailedEntryCount counting the failed; a request with
 * more than 10 entries or entries over 256 KB in total is refused (ValidationException).
 * Tests decide which entries fail through `failEntry`, and read every request received.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: number;
}

export interface ReceivedRequest {
  target: string | undefined;
  contentType: string | undefined;
  entries: ReceivedEntry[];
}

export interface PutEventsEndpoint {
  endpoint: string;
  /** Every PutEvents request received, in order (refused ones included). */
  requests: ReceivedRequest[];
  /** Entries given an EventId, in order. */
  accepted: ReceivedEntry[];
  /** Decides an entry's fate: an error code to fail it with, or undefined to accept it. Default: accept all. */
  failEntry: (entry: ReceivedEntry, index: number) => string | undefined;
  /** When set, every request is refused as a whole with this error type (HTTP 400), as a denied caller is. */
  refuseWith: string | undefined;
  stop: () => Promise<void>;
}

const TARGET = 'AWSEvents.PutEvents';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Entry size as EventBridge counts it (User Guide, "Calculating PutEvents event entry size"). */
export function receivedEntrySize(entry: ReceivedEntry): number {
  const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0)
  );
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': CONTENT_TYPE });
  response.end(JSON.stringify(body));
}

function refuse(response: ServerResponse, type: string, message: string): void {
  response.setHeader('x-amzn-errortype', type);
  answer(response, 400, { __type: type, message });
}

export async function startPutEventsEndpoint(): Promise<PutEventsEndpoint> {
  const state: PutEventsEndpoint = {
    endpoint: '',
    requests: [],
    accepted: [],
    failEntry: () => undefined,
    refuseWith: undefined,
    stop: async () => undefined,
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = request.headers['x-amz-target'] as string | undefined;
    const contentType = request.headers['content-type'];
    if (request.method !== 'POST' || target !== TARGET || contentType !== CONTENT_TYPE) {
      refuse(response, 'UnknownOperationException', `expected POST ${TARGET} as ${CONTENT_TYPE}`);
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: ReceivedEntry[] };
    const entries = body.Entries ?? [];
    state.requests.push({ target, contentType, entries });
    if (state.refuseWith) {
      refuse(response, state.refuseWith, `${state.refuseWith} (local endpoint)`);
      return;
    }
    if (entries.length < 1 || entries.length > 10) {
      refuse(
        response,
        'ValidationException',
        `1 validation error detected: 'entries' must have length between 1 and 10, got ${entries.length}`,
      );
      return;
    }
    const total = entries.reduce((sum, entry) => sum + receivedEntrySize(entry), 0);
    if (total > 262_144) {
      refuse(response, 'ValidationException', `Total size of the entries in the request is over the limit: ${total} bytes`);
      return;
    }
    let failed = 0;
    const results = entries.map((entry, index) => {
      const code = state.failEntry(entry, index);
      if (code) {
        failed += 1;
        return { ErrorCode: code, ErrorMessage: `${code} (local endpoint)` };
      }
      state.accepted.push(entry);
      return { EventId: randomUUID() };
    });
    answer(response, 200, { FailedEntryCount: failed, Entries: results });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => refuse(response, 'InternalFailure', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return state;
}
