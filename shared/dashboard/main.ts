/**
 * The auditors' dashboard: entry point bundled by scripts/build.mjs into dist/dashboard/app.js.
 * Talks only to the Findings API of the server that served it, with the token from the URL
 * fragment or the sign-in form. Every text from the API goes into the page through textContent.
 */
import { ApiClient, UnauthorizedError } from './api-client';
import type { ControlSummary, FindingFilters, TrendPeriod } from '../app/api/contract';
import { byId, el } from './dom';
import { ExemptionsView } from './exemptions-view';
import { FindingDetailPanel } from './finding-detail';
import { FindingsView } from './findings-view';
import { FrameworksView } from './frameworks-view';
import { hasActivity, PERIOD_LABELS, renderSummary, renderTrend } from './overview';
import { forgetToken, rememberToken, takeToken } from './token';

type ViewName = 'findings' | 'frameworks' | 'exemptions';

const isPeriod = (value: string): value is TrendPeriod => Object.keys(PERIOD_LABELS).includes(value);
const VIEWS: ViewName[] = ['findings', 'frameworks', 'exemptions'];

class Dashboard {
  private client: ApiClient | undefined;
  private controls: ControlSummary[] = [];
  private readonly errors = byId('errors');
  private readonly status = byId('status');
  private readonly app = byId('app');
  private readonly signIn = byId('sign-in');
  private readonly findings: FindingsView;
  private readonly detail: FindingDetailPanel;
  private readonly frameworks: FrameworksView;
  private readonly exemptions: ExemptionsView;
  private view: ViewName = 'findings';
  /** The trend's period: chosen in the selector, else undefined (the last 30 days, or all activity when they hold none). */
  private trendPeriod: TrendPeriod | undefined;

  constructor() {
    const api = () => {
      if (!this.client) throw new UnauthorizedError();
      return this.client;
    };
    const fail = (error: unknown) => this.fail(error);
    const announce = (message: string) => this.announce(message);
    this.findings = new FindingsView({ api, fail, announce, openFinding: (id) => void this.detail.open(id) });
    this.detail = new FindingDetailPanel(byId<HTMLDialogElement>('detail'), byId('detail-content'), {
      api,
      fail,
      announce,
      changed: () => void this.refreshCounts(true),
    });
    this.frameworks = new FrameworksView({
      api,
      fail,
      controls: () => this.controls,
      showFindings: (filters) => this.showFindings(filters),
    });
    this.exemptions = new ExemptionsView({ api, fail, announce, changed: () => void this.refreshCounts(true) });

    byId<HTMLFormElement>('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = byId<HTMLInputElement>('token-input');
      const token = input.value.trim();
      if (token === '') return;
      input.value = '';
      rememberToken(token);
      void this.start(token);
    });
    byId('sign-out').addEventListener('click', () => {
      forgetToken();
      this.client = undefined;
      this.showSignIn('Token forgotten. Enter a token to continue.');
    });
    byId('detail-close').addEventListener('click', () => this.detail.close());
    byId('refresh').addEventListener('click', () => void this.refreshCounts(true));
    const periods = byId<HTMLSelectElement>('trend-period');
    for (const [value, label] of Object.entries(PERIOD_LABELS)) periods.append(el('option', { text: label, attrs: { value } }));
    periods.addEventListener('change', () => {
      if (isPeriod(periods.value)) this.trendPeriod = periods.value;
      void this.refreshCounts(false);
    });
    for (const name of VIEWS) byId(`tab-${name}`).addEventListener('click', () => this.switchTo(name));
  }

  async start(token: string | undefined): Promise<void> {
    if (!token) {
      this.showSignIn('Enter the API token that `trailwarden serve` printed.');
      return;
    }
    this.client = new ApiClient(token);
    this.clearErrors();
    try {
      this.controls = await this.client.controls();
    } catch (error) {
      this.fail(error);
      return;
    }
    this.signIn.hidden = true;
    this.app.hidden = false;
    byId('sign-out').hidden = false;
    this.findings.setControls(this.controls);
    this.switchTo(this.view);
    await Promise.all([this.refreshCounts(false), this.findings.reload()]);
  }

  private switchTo(view: ViewName): void {
    this.view = view;
    for (const name of VIEWS) {
      byId(`view-${name}`).hidden = name !== view;
      byId(`tab-${name}`).setAttribute('aria-current', name === view ? 'page' : 'false');
    }
    if (view === 'frameworks') void this.frameworks.load();
    if (view === 'exemptions') void this.exemptions.load();
  }

  private showFindings(filters: FindingFilters): void {
    this.switchTo('findings');
    this.findings.show(filters);
    byId('findings-title').scrollIntoView({ block: 'start' });
  }

  /** The summary cards and trend; with `andTable`, the findings table too (statuses changed). */
  private async refreshCounts(andTable: boolean): Promise<void> {
    if (!this.client) return;
    try {
      let summary = await this.client.summary(this.trendPeriod);
      // A first look at older history (the samples, a backfill): the range of the recorded activity.
      if (this.trendPeriod === undefined && summary.total > 0 && !hasActivity(summary.trend)) summary = await this.client.summary('all');
      renderSummary(summary, byId('summary-cards'));
      byId<HTMLSelectElement>('trend-period').value = summary.period;
      renderTrend(summary.trend, byId('trend'), summary.period);
      byId('summary-updated').textContent = `Updated ${new Date().toISOString().slice(11, 19)} UTC`;
    } catch (error) {
      this.fail(error);
    }
    if (andTable) await this.findings.reload();
  }

  private fail(error: unknown): void {
    if (error instanceof UnauthorizedError) {
      forgetToken();
      this.client = undefined;
      this.detail.close();
      this.showSignIn('The server refused the token (401 unauthorized). Enter the token `trailwarden serve` printed.');
      this.showError('Unauthorized: the token was refused.');
      return;
    }
    this.showError(error instanceof Error ? error.message : String(error));
  }

  private showSignIn(reason: string): void {
    this.app.hidden = true;
    byId('sign-out').hidden = true;
    this.signIn.hidden = false;
    byId('sign-in-reason').textContent = reason;
    byId<HTMLInputElement>('token-input').focus();
  }

  private showError(message: string): void {
    this.errors.textContent = message;
  }

  private clearErrors(): void {
    this.errors.textContent = '';
  }

  private announce(message: string): void {
    this.status.textContent = message;
  }
}

function boot(): void {
  const dashboard = new Dashboard();
  void dashboard.start(takeToken());
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
