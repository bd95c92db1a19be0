/** The dashboard's only way to the Findings API: every request carries the bearer token. */
import type {
  ControlSummary,
  ExemptionView,
  Finding,
  FindingDetail,
  FindingFilters,
  FindingsPage,
  NewExemption,
  SnoozeRequest,
  Summary,
  TrendPeriod,
} from '../app/api/contract';

/** The server refused the token (401). */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
  constructor() {
    super('The server refused the token (401 unauthorized).');
  }
}

/** Any other non-2xx answer, with the API's error body when it sent one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

function describeFailure(status: number, body: unknown, path: string): string {
  if (body && typeof body === 'object') {
    const { error, parameter, reason } = body as { error?: unknown; parameter?: unknown; reason?: unknown };
    if (typeof parameter === 'string') return `Invalid ${parameter}: ${typeof reason === 'string' ? reason : 'rejected by the server'}`;
    if (typeof error === 'string' && typeof reason === 'string') return `${sentence(error)}: ${reason}.`;
    if (typeof error === 'string') return `${error} (${status} from ${path})`;
  }
  return `The server answered ${status} for ${path}.`;
}

/** `conflict` → `Conflict`. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly base = '/api',
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (error) {
      throw new ApiError(0, undefined, `The server could not be reached (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (response.status === 401) throw new UnauthorizedError();
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw new ApiError(response.status, parsed, describeFailure(response.status, parsed, path));
    return parsed as T;
  }

  /** The counts, and the trend of `period` (the server's default, the last 30 days, when absent). */
  summary(period?: TrendPeriod): Promise<Summary> {
    return this.request('GET', period === undefined ? '/summary' : `/summary?period=${encodeURIComponent(period)}`);
  }

  async controls(): Promise<ControlSummary[]> {
    return (await this.request<{ controls: ControlSummary[] }>('GET', '/controls')).controls;
  }

  findings(filters: FindingFilters, limit: number, cursor?: string): Promise<FindingsPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (typeof value === 'string' && value !== '') params.set(key, value);
    }
    params.set('limit', String(limit));
    if (cursor) params.set('cursor', cursor);
    return this.request('GET', `/findings?${params.toString()}`);
  }

  finding(id: string): Promise<FindingDetail> {
    return this.request('GET', `/findings/${encodeURIComponent(id)}`);
  }

  report(framework: string): Promise<unknown> {
    return this.request('GET', `/reports/${encodeURIComponent(framework)}`);
  }

  /** Snoozes an open finding, or moves the end of its snooze (400 bad value, 409 not open). */
  async snooze(id: string, request: SnoozeRequest): Promise<Finding> {
    return (await this.request<{ finding: Finding }>('POST', `/findings/${encodeURIComponent(id)}/snooze`, request)).finding;
  }

  /** Ends a finding's snooze early (409 when it is not snoozed). */
  async cancelSnooze(id: string): Promise<Finding> {
    return (await this.request<{ finding: Finding }>('DELETE', `/findings/${encodeURIComponent(id)}/snooze`)).finding;
  }

  async exemptions(): Promise<ExemptionView[]> {
    return (await this.request<{ exemptions: ExemptionView[] }>('GET', '/exemptions')).exemptions;
  }

  createExemption(exemption: NewExemption): Promise<{ exemption: ExemptionView; suppressed: number }> {
    return this.request('POST', '/exemptions', exemption);
  }

  deleteExemption(id: string): Promise<{ exemption: ExemptionView; reopened: number }> {
    return this.request('DELETE', `/exemptions/${encodeURIComponent(id)}`);
  }
}
