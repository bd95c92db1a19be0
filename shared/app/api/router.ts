/**
 * The findings API as one pure-ish function: a request in, a response out, over the stores. Two thin shells call it: the local HTTP server (`trailwarden serve`) and the Lambda
 * HTTP API adapter (`apiGatewayHandler`). The contract is shared/app/api/CONTRACT.md, its shapes are contract.ts.
 *
 * Exports and reports are streamed: their body is an async iterable of text chunks, rendered from
 * pages of findings read with cursors (EXPORT_PAGE_SIZE at a time), the event loop free between
 * two pages, so that neither memory nor the time other requests wait grows with the number of
 * findings. At most `documentSlots.limit` of them run at once (429 with Retry-After past it).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Control } from '../../core/model/control';
import type { FrameworkId } from '../../core/model/framework';
import { isFrameworkId } from '../../core/model/framework';
import type { Finding } from '../../core/findings/finding';
import { pageFindings } from '../../core/findings/query';
import { findingPages, type FindingPages } from '../findings/pages';
import { FINDING_FILTERS } from '../../core/model/finding-filters';
import { controlSummaryOf } from '../../core/model/control-metadata';
import type { Delivery } from '../delivery/delivery';
import { TREND_PERIODS } from './contract';
import type {
  TrendPeriod,
  ApiErrorBody,
  AuditLog,
  ControlsList,
  ExemptionCreated,
  ExemptionDeleted,
  ExemptionsList,
  FindingDetail,
  FindingsPage,
  SnoozeChanged,
  Summary,
} from './contract';
import { StorageBusyError, type Storage } from '../storage';
import { createExemption, deleteExemption } from '../exemptions/exemption-service';
import { validateExemptionRequest, viewOf } from '../../core/exemptions/exemption';
import { cancelSnooze, snoozeFinding, type SnoozeOutcome } from '../snooze/snooze-service';
import { validateSnoozeRequest } from '../../core/findings/snooze';
import {
  InvalidParameter,
  PAGE_PARAMETERS,
  findingFilters,
  pageParameters,
  singleValues,
  type ParameterClock,
  type QueryParameters,
} from './validate';

export interface ApiRequest {
  method: string;
  /** The path without the query string, e.g. `/api/findings`. */
  path: string;
  /** Parameters by name, repeated ones kept (see parseQueryString). */
  query: QueryParameters;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body?: string;
  /** The caller's identity as the shell established it (an IAM ARN in AWS, the local user locally). */
  actor?: string;
}

/**
 * A whole body, or (exports and reports) chunks of text to send in order. A shell reads a streamed
 * body to its end or, to stop early (the client went away, a size limit), calls `return()` on its
 * iterator (`break` in `for await` does): either frees what the stream holds, its slot included.
 */
export type ApiBody = string | AsyncIterable<string>;

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: ApiBody;
}

/** A rendered document (report or export). */
export interface ApiDocument {
  contentType: string;
  body: ApiBody;
}

export interface ApiDeps {
  storage: Pick<Storage, 'findings' | 'exemptions' | 'flush'>;
  catalogue: readonly Control[];
  /** For the `reopened` notifications of a deleted exemption's findings and of cancelled snoozes. */
  delivery: Delivery;
  now: () => Date;
  /**
   * How far ahead of the clock an event's time may be (the `maxEventAheadMinutes` setting): a `since`
   * further ahead can match no finding and is refused as the typo it is. Default 1 day.
   */
  maxFutureMs?: number;
  newId: () => string;
  /** When set, every /api/ request must carry `Authorization: Bearer <token>` (the local server). */
  token?: string;
  /** The framework report as JSON (shared/app/reports), reading findings with `pages`; absent: 501. */
  report?: (framework: FrameworkId, controls: readonly Control[], pages: FindingPages, now: Date) => ApiDocument;
  /** An export of the findings `pages` gives (shared/app/exports); absent: 501. */
  exportFindings?: {
    formats: readonly string[];
    render: (format: string, pages: AsyncIterable<readonly Finding[]>, controls: readonly Control[]) => ApiDocument;
  };
  /** Bounds the exports and reports running at once (429 with Retry-After past it); absent: no bound. */
  documentSlots?: DocumentSlots;
  /** Called after an exemption was created or deleted (e.g. to refresh a pipeline's cache). */
  onExemptionsChanged?: () => void;
  /** Unexpected failures (the answer is a bare 500). */
  onError?: (error: unknown) => void;
}

/** Findings read per page by an export or a report: what one turn of the event loop renders. */
export const EXPORT_PAGE_SIZE = 250;
/** Exports and reports running at once in one server, unless configured otherwise. */
export const DEFAULT_MAX_DOCUMENTS = 2;
/** What a 429 tells the client to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** A bound on the exports and reports running at once: each holds a slot until its stream ends. */
export class DocumentSlots {
  private running = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the export bound must be a whole number of at least 1, not ${limit}`);
  }

  /** Exports and reports running now. */
  get inUse(): number {
    return this.running;
  }

  /** A slot, as the function that frees it (once, however often called); undefined when every slot is taken. */
  take(): (() => void) | undefined {
    if (this.running >= this.limit) return undefined;
    this.running += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.running -= 1;
    };
  }
}

const SECURITY_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function json<T extends object>(status: number, value: T, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(value),
  };
}

function document(contentType: string, body: ApiBody): ApiResponse {
  return { status: 200, headers: { 'content-type': contentType, ...SECURITY_HEADERS }, body };
}

const refusal = (status: number, body: ApiErrorBody, headers: Record<string, string> = {}) => json<ApiErrorBody>(status, body, headers);
const notFound = () => refusal(404, { error: 'not found' });
const conflict = (reason: string) => refusal(409, { error: 'conflict', reason });
const methodNotAllowed = (allowed: string[]) => refusal(405, { error: 'method not allowed' }, { allow: allowed.join(', ') });
const invalid = (error: InvalidParameter) => refusal(400, { error: 'invalid parameter', parameter: error.parameter, reason: error.reason });

/**
 * Constant-time comparison of the presented token with the expected one (hashed first: equal lengths).
 * The scheme name is case-insensitive (RFC 7235 §2.1, RFC 9110 §11.1: `Bearer`, `bearer`, `BEARER`),
 * followed by one or more spaces and the token.
 */
export function tokenMatches(expected: string, authorization: string | undefined): boolean {
  const match = /^bearer +([^\s]+)$/i.exec(authorization ?? '');
  const presented = match?.[1] ?? '';
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && match !== null;
}

interface Route {
  pattern: RegExp;
  methods: Record<string, (request: ApiRequest, params: string[], deps: ApiDeps) => Promise<ApiResponse>>;
}

const FINDING_ID = '([0-9a-f]{32})';
const EXEMPTION_ID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';

const ROUTES: Route[] = [
  { pattern: /^\/api\/findings$/, methods: { GET: listFindings } },
  { pattern: new RegExp(`^/api/findings/${FINDING_ID}$`), methods: { GET: getFinding } },
  { pattern: new RegExp(`^/api/findings/${FINDING_ID}/snooze$`), methods: { POST: postSnooze, DELETE: removeSnooze } },
  { pattern: /^\/api\/controls$/, methods: { GET: listControls } },
  { pattern: /^\/api\/summary$/, methods: { GET: summary } },
  { pattern: /^\/api\/exemptions$/, methods: { GET: listExemptions, POST: postExemption } },
  { pattern: /^\/api\/exemptions\/audit$/, methods: { GET: listAudit } },
  { pattern: new RegExp(`^/api/exemptions/${EXEMPTION_ID}$`), methods: { DELETE: removeExemption } },
  { pattern: /^\/api\/reports\/([^/]+)$/, methods: { GET: report } },
  { pattern: /^\/api\/export$/, methods: { GET: exportFindings } },
];

export async function handleApiRequest(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  if (!request.path.startsWith('/api/') && request.path !== '/api') return notFound();
  if (deps.token !== undefined && !tokenMatches(deps.token, request.headers.authorization)) {
    return refusal(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
  }
  const method = request.method.toUpperCase();
  for (const route of ROUTES) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    const handler = route.methods[method];
    if (!handler) return methodNotAllowed(Object.keys(route.methods));
    try {
      return await handler(request, match.slice(1), deps);
    } catch (error) {
      if (error instanceof InvalidParameter) return invalid(error);
      deps.onError?.(error);
      // Another writer kept the database past the wait allowed: nothing was applied, the request can be sent again.
      if (error instanceof StorageBusyError) {
        return refusal(
          503,
          { error: 'busy', reason: 'the database is busy with another writer: nothing was changed; retry shortly' },
          { 'retry-after': String(RETRY_AFTER_SECONDS) },
        );
      }
      return refusal(500, { error: 'internal error' });
    }
  }
  return notFound();
}

/** What date parameters are checked against. */
function clockOf(deps: ApiDeps): ParameterClock {
  return { now: deps.now(), ...(deps.maxFutureMs !== undefined ? { maxFutureMs: deps.maxFutureMs } : {}) };
}

async function listFindings(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  const values = singleValues(request.query, [...FINDING_FILTERS, ...PAGE_PARAMETERS]);
  const query = { ...findingFilters(values, deps.catalogue, clockOf(deps)), ...pageParameters(values) };
  const page = await pageFindings(deps.storage.findings, query);
  return json<FindingsPage>(200, page.nextCursor ? { findings: page.findings, nextCursor: page.nextCursor } : { findings: page.findings });
}

async function getFinding(request: ApiRequest, [id]: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const finding = await deps.storage.findings.getFinding(id!);
  if (!finding) return notFound();
  const history = await deps.storage.findings.historyOf(id!);
  const control = deps.catalogue.find((c) => c.id === finding.controlId);
  return json<FindingDetail>(200, { finding, history, control: control ? summaryWithoutResolves(control) : null });
}

/** The detail shows its control without what resolves it (the catalogue route has that). */
function summaryWithoutResolves(control: Control): FindingDetail['control'] {
  const { resolves: _resolves, ...summary } = controlSummaryOf(control);
  return summary;
}

async function listControls(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  return json<ControlsList>(200, { controls: deps.catalogue.map((control) => controlSummaryOf(control)) });
}

/** Days in the summary's trend, by period (`all` reads this many and keeps the days with activity). */
export const TREND_DAYS: Record<TrendPeriod, number> = { '30d': 30, '90d': 90, '1y': 365, all: 5 * 365 + 1 };
/** The default period, and the days `all` shows when nothing was ever opened or resolved. */
export const DEFAULT_TREND_PERIOD: TrendPeriod = '30d';

const isTrendPeriod = (value: unknown): value is TrendPeriod => (TREND_PERIODS as readonly unknown[]).includes(value);

/** The days from the first to the last one with a finding opened or resolved; the last 30 days when there are none. */
export function activityRange(trend: Summary['trend']): Summary['trend'] {
  const active = (day: Summary['trend'][number]) => day.opened > 0 || day.resolved > 0;
  const first = trend.findIndex(active);
  if (first < 0) return trend.slice(-TREND_DAYS[DEFAULT_TREND_PERIOD]);
  return trend.slice(first, trend.length - [...trend].reverse().findIndex(active));
}

async function summary(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  const { period = DEFAULT_TREND_PERIOD } = singleValues(request.query, ['period']);
  if (!isTrendPeriod(period)) throw new InvalidParameter('period', `must be one of ${TREND_PERIODS.join(', ')}`);
  const counted = await deps.storage.findings.summarize({ now: deps.now(), days: TREND_DAYS[period] });
  return json<Summary>(200, { ...counted, ...(period === 'all' ? { trend: activityRange(counted.trend) } : {}), period });
}

async function listExemptions(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const now = deps.now();
  return json<ExemptionsList>(200, { exemptions: (await deps.storage.exemptions.listExemptions()).map((e) => viewOf(e, now)) });
}

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The request's JSON body, or a 400 naming what is wrong with it. */
function jsonBody(request: ApiRequest): unknown {
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType))
    throw new InvalidParameter('content-type', 'must be application/json');
  if (request.body === undefined || request.body === '') throw new InvalidParameter('body', 'required: a JSON object');
  if (Buffer.byteLength(request.body, 'utf8') > MAX_BODY_BYTES)
    throw new InvalidParameter('body', `must be at most ${MAX_BODY_BYTES} bytes`);
  try {
    return JSON.parse(request.body);
  } catch {
    throw new InvalidParameter('body', 'is not valid JSON');
  }
}

async function postExemption(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const body = jsonBody(request);
  const now = deps.now();
  const checked = validateExemptionRequest(body, now, new Set(deps.catalogue.map((c) => c.id)));
  if ('issue' in checked) throw new InvalidParameter(checked.issue.parameter, checked.issue.reason);
  const created = await createExemption(deps, checked.request, { id: deps.newId(), now, actor: actorOf(request) });
  deps.onExemptionsChanged?.();
  return json<ExemptionCreated>(201, { exemption: viewOf(created.exemption, now), suppressed: created.suppressed });
}

async function removeExemption(request: ApiRequest, [id]: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const now = deps.now();
  const deleted = await deleteExemption(deps, id!, { now, actor: actorOf(request) });
  if (!deleted) return notFound();
  deps.onExemptionsChanged?.();
  return json<ExemptionDeleted>(200, { exemption: viewOf(deleted.exemption, now), reopened: deleted.reopened });
}

function snoozeAnswer(outcome: SnoozeOutcome): ApiResponse {
  if ('finding' in outcome) return json<SnoozeChanged>(200, { finding: outcome.finding });
  return outcome.refused === 'not-found' ? notFound() : conflict(outcome.reason);
}

async function postSnooze(request: ApiRequest, [id]: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const body = jsonBody(request);
  const now = deps.now();
  const checked = validateSnoozeRequest(body, now);
  if ('issue' in checked) throw new InvalidParameter(checked.issue.parameter, checked.issue.reason);
  return snoozeAnswer(await snoozeFinding(deps, id!, checked.request, { now, actor: actorOf(request) }));
}

async function removeSnooze(request: ApiRequest, [id]: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  return snoozeAnswer(await cancelSnooze(deps, id!, { now: deps.now(), actor: actorOf(request) }));
}

async function listAudit(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const entries = (await deps.storage.exemptions.listAudit()).map(({ at, action, exemptionId, actor, detail }) => ({
    at,
    action,
    exemptionId,
    actor,
    detail,
  }));
  return json<AuditLog>(200, { entries });
}

async function report(request: ApiRequest, [framework]: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  if (!isFrameworkId(framework)) return notFound();
  const render = deps.report;
  if (!render) return refusal(501, { error: 'not implemented: framework reports are not available in this build' });
  return documentAnswer(deps, (pages) => render(framework, deps.catalogue, pages, deps.now()));
}

async function exportFindings(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  const values = singleValues(request.query, ['format', ...FINDING_FILTERS]);
  const exporter = deps.exportFindings;
  const formats = exporter?.formats ?? ['csv', 'json', 'ocsf', 'asff'];
  if (values.format === undefined) throw new InvalidParameter('format', `required: one of ${formats.join(', ')}`);
  if (!formats.includes(values.format)) throw new InvalidParameter('format', `must be one of ${formats.join(', ')}`);
  const format = values.format;
  const query = findingFilters(values, deps.catalogue, clockOf(deps));
  if (!exporter) return refusal(501, { error: 'not implemented: exports are not available in this build' });
  return documentAnswer(deps, (pages) => exporter.render(format, pages(query), deps.catalogue));
}

/**
 * An export or report: a slot taken (429 when none is free), the document made over paged reads,
 * and its first chunk read before answering, so that a store failing at once is still a 500.
 */
async function documentAnswer(deps: ApiDeps, make: (pages: FindingPages) => ApiDocument): Promise<ApiResponse> {
  const release = deps.documentSlots ? deps.documentSlots.take() : () => undefined;
  if (!release) {
    const limit = deps.documentSlots!.limit;
    return refusal(
      429,
      {
        error: 'too many requests',
        reason: `at most ${limit} export${limit === 1 ? '' : 's'} or reports run at once: retry in ${RETRY_AFTER_SECONDS} seconds`,
      },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  }
  let doc: ApiDocument;
  try {
    doc = make((query, pageSize) =>
      findingPages(deps.storage.findings, query, Math.max(1, Math.min(pageSize ?? EXPORT_PAGE_SIZE, EXPORT_PAGE_SIZE))),
    );
  } catch (error) {
    release();
    throw error;
  }
  if (typeof doc.body === 'string') {
    release();
    return document(doc.contentType, doc.body);
  }
  return document(doc.contentType, await HeldStream.start(doc.body, release));
}

/**
 * A streamed body holding a document slot: freed when the stream ends, fails, or is stopped with
 * `return()`, whether or not it was read at all. Its first chunk is read by `start`.
 */
class HeldStream implements AsyncIterableIterator<string> {
  private finished = false;

  private constructor(
    private readonly source: AsyncIterator<string>,
    private readonly release: () => void,
    private first: IteratorResult<string> | undefined,
  ) {}

  static async start(body: AsyncIterable<string>, release: () => void): Promise<HeldStream> {
    const source = body[Symbol.asyncIterator]();
    let first: IteratorResult<string>;
    try {
      first = await source.next();
    } catch (error) {
      release();
      throw error;
    }
    const stream = new HeldStream(source, release, first);
    if (first.done) stream.finish();
    return stream;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<string> {
    return this;
  }

  async next(): Promise<IteratorResult<string>> {
    const first = this.first;
    if (first) {
      this.first = undefined;
      return first;
    }
    if (this.finished) return { done: true, value: undefined };
    try {
      const result = await this.source.next();
      if (result.done) this.finish();
      return result;
    } catch (error) {
      this.finish();
      throw error;
    }
  }

  async return(): Promise<IteratorResult<string>> {
    this.first = undefined;
    if (!this.finished) {
      this.finish();
      await this.source.return?.();
    }
    return { done: true, value: undefined };
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.release();
  }
}

function actorOf(request: ApiRequest): string {
  return request.actor ?? 'unknown';
}
