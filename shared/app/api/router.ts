/**
 * The findings API as one pure-ish function: a request in, a response out, over the FindingStore
 * port. Two thin shells call it: the local HTTP server (`trailwarden serve`) and the Lambda
 * HTTP API adapter (`apiGatewayHandler`). The contract is shared/app/api/CONTRACT.md.
 */
import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import type { Control } from '../../core/model/control';
import type { FrameworkId } from '../../core/model/framework';
import { isFrameworkId } from '../../core/model/framework';
import type { Severity } from '../../core/model/severity';
import type { Finding } from '../../core/findings/finding';
import type { Notifier } from '../../core/notifications/notifier';
import type { FindingStore } from '../../core/findings/finding-store';
import { createExemption, deleteExemption } from '../exemptions/exemption-service';
import { validateExemptionRequest, viewOf } from '../../core/exemptions/exemption';
import { cancelSnooze, snoozeFinding, type SnoozeOutcome } from '../snooze/snooze-service';
import { validateSnoozeRequest } from '../../core/findings/snooze';
import {
  FINDING_FILTERS,
  InvalidParameter,
  PAGE_PARAMETERS,
  controlsOfFramework,
  findingFilters,
  pageParameters,
  singleValues,
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

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A rendered document (report or export). */
export interface ApiDocument {
  contentType: string;
  body: string;
}

export interface ApiDeps {
  store: FindingStore;
  controls: readonly Control[];
  now?: () => Date;
  newId?: () => string;
  /** When set, every /api/ request must carry `Authorization: Bearer <token>` (the local server). */
  token?: string;
  /** For the `reopened` notifications of a deleted exemption's findings and of cancelled snoozes. */
  notifier?: Notifier;
  notifyMinSeverity?: Severity;
  /** The framework report as JSON (shared/app/reports); absent: 501. */
  report?: (framework: FrameworkId, controls: readonly Control[], findings: readonly Finding[], now: Date) => ApiDocument;
  /** An export of findings (shared/app/exports); absent: 501. */
  exportFindings?: { formats: readonly string[]; render: (format: string, findings: readonly Finding[], controls: readonly Control[]) => ApiDocument };
  /** Called after an exemption was created or deleted (e.g. to refresh a pipeline's cache). */
  onExemptionsChanged?: () => void;
  /** Unexpected failures (the answer is a bare 500). */
  onError?: (error: unknown) => void;
}

/** The most findings one export or report reads. */
export const MAX_EXPORT_FINDINGS = 100_000;

const SECURITY_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function json(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers }, body: JSON.stringify(value) };
}

function document(doc: ApiDocument): ApiResponse {
  return { status: 200, headers: { 'content-type': doc.contentType, ...SECURITY_HEADERS }, body: doc.body };
}

const notFound = () => json(404, { error: 'not found' });
const conflict = (reason: string) => json(409, { error: 'conflict', reason });
const methodNotAllowed = (allowed: string[]) => json(405, { error: 'method not allowed' }, { allow: allowed.join(', ') });
const invalid = (error: InvalidParameter) => json(400, { error: 'invalid parameter', parameter: error.parameter, reason: error.reason });

/** Constant-time comparison of the presented token with the expected one (hashed first: equal lengths). */
export function tokenMatches(expected: string, authorization: string | undefined): boolean {
  const match = /^Bearer ([^\s]+)$/.exec(authorization ?? '');
  const presented = match?.[1] ?? '';
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && match !== null;
}

interface Route {
  pattern: RegExp;
  methods: Record<string, (request: ApiRequest, params: string[], deps: Required<Pick<ApiDeps, 'now' | 'newId'>> & ApiDeps) => Promise<ApiResponse>>;
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
    return json(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
  }
  const full = { ...deps, now: deps.now ?? (() => new Date()), newId: deps.newId ?? randomUUID };
  const method = request.method.toUpperCase();
  for (const route of ROUTES) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    const handler = route.methods[method];
    if (!handler) return methodNotAllowed(Object.keys(route.methods));
    try {
      return await handler(request, match.slice(1), full);
    } catch (error) {
      if (error instanceof InvalidParameter) return invalid(error);
      deps.onError?.(error);
      return json(500, { error: 'internal error' });
    }
  }
  return notFound();
}

async function listFindings(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  const values = singleValues(request.query, [...FINDING_FILTERS, ...PAGE_PARAMETERS]);
  const query = { ...findingFilters(values, deps.controls), ...pageParameters(values) };
  const page = await deps.store.pageFindings(query);
  return json(200, page.nextCursor ? { findings: page.findings, nextCursor: page.nextCursor } : { findings: page.findings });
}

function controlView(control: Control) {
  return {
    id: control.id,
    area: control.area,
    title: control.title,
    severity: control.severity,
    rationale: control.rationale,
    runbook: control.runbook,
    frameworks: control.frameworks,
    ...(control.resolution ? { resolves: control.resolution.description } : {}),
  };
}

async function getFinding(request: ApiRequest, [id]: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const finding = await deps.store.getFinding(id!);
  if (!finding) return notFound();
  const history = await deps.store.historyOf(id!);
  const control = deps.controls.find((c) => c.id === finding.controlId);
  const { resolves: _resolves, ...view } = control ? controlView(control) : { resolves: undefined };
  return json(200, { finding, history, control: control ? view : null });
}

async function listControls(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  return json(200, { controls: deps.controls.map(controlView) });
}

/** Days in the summary's trend. */
export const TREND_DAYS = 30;

async function summary(request: ApiRequest, _params: string[], deps: Required<Pick<ApiDeps, 'now'>> & ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  return json(200, await deps.store.summarize({ now: deps.now(), days: TREND_DAYS }));
}

async function listExemptions(request: ApiRequest, _params: string[], deps: Required<Pick<ApiDeps, 'now'>> & ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const now = deps.now();
  return json(200, { exemptions: (await deps.store.listExemptions()).map((e) => viewOf(e, now)) });
}

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The request's JSON body, or a 400 naming what is wrong with it. */
function jsonBody(request: ApiRequest): unknown {
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType)) throw new InvalidParameter('content-type', 'must be application/json');
  if (request.body === undefined || request.body === '') throw new InvalidParameter('body', 'required: a JSON object');
  if (Buffer.byteLength(request.body, 'utf8') > MAX_BODY_BYTES) throw new InvalidParameter('body', `must be at most ${MAX_BODY_BYTES} bytes`);
  try {
    return JSON.parse(request.body);
  } catch {
    throw new InvalidParameter('body', 'is not valid JSON');
  }
}

async function postExemption(request: ApiRequest, _params: string[], deps: Required<Pick<ApiDeps, 'now' | 'newId'>> & ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const body = jsonBody(request);
  const now = deps.now();
  const checked = validateExemptionRequest(body, now, new Set(deps.controls.map((c) => c.id)));
  if ('issue' in checked) throw new InvalidParameter(checked.issue.parameter, checked.issue.reason);
  const created = await createExemption(exemptionDeps(deps), checked.request, { id: deps.newId(), now, actor: actorOf(request) });
  deps.onExemptionsChanged?.();
  return json(201, { exemption: viewOf(created.exemption, now), suppressed: created.suppressed });
}

async function removeExemption(request: ApiRequest, [id]: string[], deps: Required<Pick<ApiDeps, 'now'>> & ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const now = deps.now();
  const deleted = await deleteExemption(exemptionDeps(deps), id!, { now, actor: actorOf(request) });
  if (!deleted) return notFound();
  deps.onExemptionsChanged?.();
  return json(200, { exemption: viewOf(deleted.exemption, now), reopened: deleted.reopened });
}

function snoozeAnswer(outcome: SnoozeOutcome): ApiResponse {
  if ('finding' in outcome) return json(200, { finding: outcome.finding });
  return outcome.refused === 'not-found' ? notFound() : conflict(outcome.reason);
}

async function postSnooze(request: ApiRequest, [id]: string[], deps: Required<Pick<ApiDeps, 'now'>> & ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const body = jsonBody(request);
  const now = deps.now();
  const checked = validateSnoozeRequest(body, now);
  if ('issue' in checked) throw new InvalidParameter(checked.issue.parameter, checked.issue.reason);
  return snoozeAnswer(await snoozeFinding(exemptionDeps(deps), id!, checked.request, { now, actor: actorOf(request) }));
}

async function removeSnooze(request: ApiRequest, [id]: string[], deps: Required<Pick<ApiDeps, 'now'>> & ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  return snoozeAnswer(await cancelSnooze(exemptionDeps(deps), id!, { now: deps.now(), actor: actorOf(request) }));
}

async function listAudit(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  const entries = (await deps.store.listAudit()).map(({ at, action, exemptionId, actor, detail }) => ({ at, action, exemptionId, actor, detail }));
  return json(200, { entries });
}

async function report(request: ApiRequest, [framework]: string[], deps: Required<Pick<ApiDeps, 'now'>> & ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  if (!isFrameworkId(framework)) return notFound();
  if (!deps.report) return json(501, { error: 'not implemented: framework reports are not available in this build' });
  const mapped = controlsOfFramework(deps.controls, framework);
  const findings = await deps.store.listFindings({ controlIds: mapped, limit: MAX_EXPORT_FINDINGS });
  return document(deps.report(framework, deps.controls, findings, deps.now()));
}

async function exportFindings(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  const values = singleValues(request.query, ['format', ...FINDING_FILTERS]);
  const exporter = deps.exportFindings;
  const formats = exporter?.formats ?? ['csv', 'json', 'ocsf', 'asff'];
  if (values.format === undefined) throw new InvalidParameter('format', `required: one of ${formats.join(', ')}`);
  if (!formats.includes(values.format)) throw new InvalidParameter('format', `must be one of ${formats.join(', ')}`);
  const query = findingFilters(values, deps.controls);
  if (!exporter) return json(501, { error: 'not implemented: exports are not available in this build' });
  const findings = await deps.store.listFindings({ ...query, limit: MAX_EXPORT_FINDINGS });
  return document(exporter.render(values.format, findings, deps.controls));
}

function exemptionDeps(deps: ApiDeps) {
  return {
    store: deps.store,
    controls: deps.controls,
    ...(deps.notifier ? { notifier: deps.notifier } : {}),
    ...(deps.notifyMinSeverity ? { notifyMinSeverity: deps.notifyMinSeverity } : {}),
  };
}

function actorOf(request: ApiRequest): string {
  return request.actor ?? 'unknown';
}
