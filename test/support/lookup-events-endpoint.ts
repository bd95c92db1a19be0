/**
 * A local CloudTrail LookupEvents and Account ListRegions, on 127.0.0.1 and a random port, spoken to by the
 * real SDK clients over their real wire protocols:
 * - CloudTrail is AWS JSON 1.1: POST /, `X-Amz-Target: CloudTrail_20131101.LookupEvents` (the SDK's
 *   serviceTarget, node_modules/@aws-sdk/client-cloudtrail/dist-cjs/index.js), content-type
 *   application/x-amz-json-1.1, times as epoch seconds; an error is status 400 with `{"__type", "message"}`.
 * - Account is REST-JSON: POST /listRegions with `{"RegionOptStatusContains", "MaxResults", "NextToken"}`.
 * The region of a request is the one its SigV4 credential scope names, as the service sees it.
 *
 * It serves the records given (one CloudTrail record each) as LookupEvents does: the records of the
 * request's region (their awsRegion) whose eventTime is within StartTime..EndTime (inclusive), newest first,
 * MaxResults (at most 50) a page, with a NextToken. Records of one second are listed in the reverse of the
 * order given (so a stable reversal gives the file's order back; see `tiesInFileOrder`). It records every
 * request's arrival time per region and answers ThrottlingException both when told to (`throttle`) and when
 * a request would be the third in one second of its region — counted as a quota violation.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LookupEventsEndpointOptions {
  /** Records as JSON text, one per element, in file order. */
  records: readonly string[];
  /** Region codes and opt-in statuses ListRegions knows (every status, as the service has them). */
  regions?: readonly { name: string; status: string }[];
  /** Whether the n-th LookupEvents request of a region (1-based) is answered with a ThrottlingException. */
  throttle?: (region: string, n: number) => boolean;
  /** The CloudTrailEvent served for a record, instead of its text (to serve a malformed one). */
  corrupt?: (record: string, index: number) => string | undefined;
  /** List records of one second in file order instead of its reverse. */
  tiesInFileOrder?: boolean;
}

export interface LookupEventsRequest {
  region: string;
  at: number;
  throttled: boolean;
  body: Record<string, unknown>;
}

export interface LookupEventsEndpoint {
  endpoint: string;
  /** Every LookupEvents request, in arrival order. */
  requests: LookupEventsRequest[];
  /** Every ListRegions request body. */
  listRegions: Record<string, unknown>[];
  /** Requests that came as the third (or more) within one second of their region. */
  quotaViolations: () => LookupEventsRequest[];
  /** The events served per region, in order (their eventIDs). */
  served: Map<string, string[]>;
  stop: () => Promise<void>;
}

interface Indexed {
  text: string;
  index: number;
  id: string;
  time: number;
  region: string;
}

const TARGET = 'CloudTrail_20131101.LookupEvents';

function regionOf(request: IncomingMessage): string {
  const auth = String(request.headers.authorization ?? '');
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1] ?? 'unknown';
}

function send(response: ServerResponse, status: number, body: unknown, type: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'local' });
  response.end(text);
}

export async function startLookupEventsEndpoint(options: LookupEventsEndpointOptions): Promise<LookupEventsEndpoint> {
  const all: Indexed[] = options.records.map((text, index) => {
    const record = JSON.parse(text) as { eventID: string; eventTime: string; awsRegion: string };
    return { text, index, id: record.eventID, time: Date.parse(record.eventTime), region: record.awsRegion };
  });
  const requests: LookupEventsRequest[] = [];
  const listRegions: Record<string, unknown>[] = [];
  const served = new Map<string, string[]>();
  const counts = new Map<string, number>();
  const json11 = 'application/x-amz-json-1.1';

  const lookup = (region: string, body: Record<string, unknown>, response: ServerResponse) => {
    const n = (counts.get(region) ?? 0) + 1;
    counts.set(region, n);
    const at = Date.now();
    const earlier = requests.filter((r) => r.region === region && at - r.at < 1000);
    const entry: LookupEventsRequest = { region, at, throttled: false, body };
    requests.push(entry);
    if (earlier.length >= 2 || options.throttle?.(region, n)) {
      entry.throttled = true;
      send(response, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, json11);
      return;
    }
    const start = typeof body.StartTime === 'number' ? body.StartTime * 1000 : Number.NEGATIVE_INFINITY;
    const end = typeof body.EndTime === 'number' ? body.EndTime * 1000 : Number.POSITIVE_INFINITY;
    const max = Math.min(50, typeof body.MaxResults === 'number' ? body.MaxResults : 50);
    const matching = all
      .filter((r) => r.region === region && r.time >= start && r.time <= end)
      .sort((a, b) => b.time - a.time || (options.tiesInFileOrder ? a.index - b.index : b.index - a.index));
    // The token is opaque to the client: here the position, with the parameters it belongs to.
    const from =
      typeof body.NextToken === 'string' ? (JSON.parse(Buffer.from(body.NextToken, 'base64').toString()) as { from: number }).from : 0;
    const page = matching.slice(from, from + max);
    const list = served.get(region) ?? [];
    served.set(region, list);
    list.push(...page.map((r) => r.id));
    const events = page.map((r) => {
      const record = JSON.parse(r.text) as { eventName?: string; eventSource?: string };
      return {
        EventId: r.id,
        EventName: record.eventName,
        EventTime: r.time / 1000,
        EventSource: record.eventSource,
        Resources: [],
        CloudTrailEvent: options.corrupt?.(r.text, r.index) ?? r.text,
      };
    });
    const next = from + max < matching.length ? Buffer.from(JSON.stringify({ from: from + max })).toString('base64') : undefined;
    send(response, 200, next === undefined ? { Events: events } : { Events: events, NextToken: next }, json11);
  };

  const regions = (body: Record<string, unknown>, response: ServerResponse) => {
    listRegions.push(body);
    const wanted = Array.isArray(body.RegionOptStatusContains) ? (body.RegionOptStatusContains as string[]) : undefined;
    const chosen = (options.regions ?? []).filter((r) => wanted === undefined || wanted.includes(r.status));
    // Two a page, to exercise NextToken.
    const from = typeof body.NextToken === 'string' ? Number(body.NextToken) : 0;
    const page = chosen.slice(from, from + 2).map((r) => ({ RegionName: r.name, RegionOptStatus: r.status }));
    send(response, 200, from + 2 < chosen.length ? { Regions: page, NextToken: String(from + 2) } : { Regions: page }, 'application/json');
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = (chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}) as Record<string, unknown>;
      if (request.method === 'POST' && request.url === '/' && request.headers['x-amz-target'] === TARGET) {
        if (request.headers['content-type'] !== json11)
          send(response, 400, { __type: 'SerializationException', message: 'content type' }, json11);
        else lookup(regionOf(request), body, response);
      } else if (request.method === 'POST' && request.url === '/listRegions') regions(body, response);
      else send(response, 404, { __type: 'UnknownOperationException', message: `${request.method} ${request.url}` }, json11);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    listRegions,
    served,
    quotaViolations: () =>
      requests.filter((r) => requests.filter((o) => o.region === r.region && o.at <= r.at && r.at - o.at < 1000).length > 2),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
