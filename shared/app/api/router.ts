/**
 * The findings API as one pure-ish function: a request in, a response out, over the stores. Two thin shells call it: the local HTTP server (`trailwarden serve`) and the Lambda
 * HTTP API adapter (`apiGatewayHandler`). The contract is shared/app/api/CONTRACT.md, its shapes are contract.ts.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Control } from '../../core/model/control';
import type { FrameworkId } from '../../core/model/framework';
import { isFrameworkId } from '../../core/model/framework';
import type { Finding } from '../../core/findings/finding';
import { pageFindings } from '../../core/findings/query';
import { FINDING_FILTERS } from '../../core/model/finding-filters';
import { controlSummaryOf } from '../../core/model/control-metadata';
import type { Delivery } from '../delivery/delivery';
import type {
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
import type { Storage } from '../storage';
import { createExemption, deleteExemption } from '../exemptions/exemption-service';
import { validateExemptionRequest, viewOf } from '../../core/exemptions/exemption';
import { cancelSnooze, snoozeFinding, type SnoozeOutcome } from '../snooze/snooze-service';
import { validateSnoozeRequest } from '../../core/findings/snooze';
import {
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
  storage: Pick<Storage, 'findings' | 'exemptions' | 'flush'>;
  catalogue: readonly Control[];
  /** For the `reopened` notifications of a deleted exemption's findings and of cancelled snoozes. */
  delivery: Delivery;
  now: () => Date;
  newId: () => string;
  /** When set, every /api/ request must carry `Authorization: Bearer <token>` (the local server). */
  token?: string;
  /** The framework report as JSON (shared/app/reports); absent: 501. */
  report?: (framework: FrameworkId, controls: readonly Control[], findings: readonly Finding[], now: Date) => ApiDocument;
  /** An export of findings (shared/app/exports); absent: 501. */
  exportFindings?: {
    formats: readonly string[];
    render: (format: string, findings: readonly Finding[], controls: readonly Control[]) => ApiDocument;
  };
  /** Called after an exemption was created or deleted (e.g. to refresh a pipeline's cache). */
  onExemptionsChanged?: () => void;
  /** Unexpected failures (the answer is a bare 500). */
  onError?: (error: unknown) => void;
}

/** The most findings one export or report reads. */
export const MAX_EXPORT_FINDINGS = 100_000;

const SECURITY_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function json<T extends object>(status: number, value: T, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(value),
  };
}

function document(doc: ApiDocument): ApiResponse {
  return { status: 200, headers: { 'content-type': doc.contentType, ...SECURITY_HEADERS }, body: doc.body };
}

const refusal = (status: number, body: ApiErrorBody, headers: Record<string, string> = {}) => json<ApiErrorBody>(status, body, headers);
const notFound = () => refusal(404, { error: 'not found' });
const conflict = (reason: string) => refusal(409, { error: 'conflict', reason });
const methodNotAllowed = (allowed: string[]) => refusal(405, { error: 'method not allowed' }, { allow: allowed.join(', ') });
const invalid = (error: InvalidParameter) => refusal(400, { error: 'invalid parameter', parameter: error.parameter, reason: error.reason });

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
      return refusal(500, { error: 'internal error' });
    }
  }
  return notFound();
}

async function listFindings(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  const values = singleValues(request.query, [...FINDING_FILTERS, ...PAGE_PARAMETERS]);
  const query = { ...findingFilters(values, deps.catalogue), ...pageParameters(values) };
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

/** Days in the summary's trend. */
export const TREND_DAYS = 30;

async function summary(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  singleValues(request.query, []);
  return json<Summary>(200, await deps.storage.findings.summarize({ now: deps.now(), days: TREND_DAYS }));
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
  if (!deps.report) return refusal(501, { error: 'not implemented: framework reports are not available in this build' });
  const mapped = controlsOfFramework(deps.catalogue, framework);
  const findings = await deps.storage.findings.listFindings({ controlIds: mapped, limit: MAX_EXPORT_FINDINGS });
  return document(deps.report(framework, deps.catalogue, findings, deps.now()));
}

async function exportFindings(request: ApiRequest, _params: string[], deps: ApiDeps): Promise<ApiResponse> {
  const values = singleValues(request.query, ['format', ...FINDING_FILTERS]);
  const exporter = deps.exportFindings;
  const formats = exporter?.formats ?? ['csv', 'json', 'ocsf', 'asff'];
  if (values.format === undefined) throw new InvalidParameter('format', `required: one of ${formats.join(', ')}`);
  if (!formats.includes(values.format)) throw new InvalidParameter('format', `must be one of ${formats.join(', ')}`);
  const query = findingFilters(values, deps.catalogue);
  if (!exporter) return refusal(501, { error: 'not implemented: exports are not available in this build' });
  const findings = await deps.storage.findings.listFindings({ ...query, limit: MAX_EXPORT_FINDINGS });
  return document(exporter.render(values.format, findings, deps.catalogue));
}

function actorOf(request: ApiRequest): string {
  return request.actor ?? 'unknown';
}
