/** The findings API over an application: its stores and delivery, and the report and export renderers it serves. */
import { buildReport, renderReport } from '../reports';
import { EXPORT_FORMATS, exportFindings, isExportFormat } from '../exports';
import { randomUUID } from 'node:crypto';
import type { Application } from '../compose';
import type { ApiDeps } from './router';

/** `GET /api/reports/{framework}`: the framework report as JSON; disabled controls are reported as not watching. */
export function frameworkReport(disabledControls: readonly string[]): NonNullable<ApiDeps['report']> {
  return (framework, controls, findings, now) =>
    renderReport(buildReport(framework, controls, findings, now, { disabledControls }), 'json');
}

/** `GET /api/export?format=csv|json|ocsf|asff`. */
export const findingsExport: NonNullable<ApiDeps['exportFindings']> = {
  formats: EXPORT_FORMATS,
  render: (format, findings, controls) => {
    if (!isExportFormat(format)) throw new Error(`unknown export format ${format}`);
    return exportFindings(format, findings, controls);
  },
};

export interface ApiOptions {
  /** Every /api/ request must carry it as a bearer token (the local server; IAM authorizes in AWS). */
  token?: string;
  /** Unexpected failures (the answer is a bare 500). */
  onError?: (error: unknown) => void;
  /** Exemption ids (default: random UUIDs). */
  newId?: () => string;
}

/** The API's dependencies over an application: reports and exports included, the pipeline's exemption cache refreshed on change. */
export function apiDepsOf(app: Application, options: ApiOptions = {}): ApiDeps {
  return {
    storage: app.storage,
    catalogue: app.catalogue,
    delivery: app.delivery,
    now: app.clock,
    newId: options.newId ?? randomUUID,
    ...(options.token !== undefined ? { token: options.token } : {}),
    report: frameworkReport(app.settings.disabledControls),
    exportFindings: findingsExport,
    onExemptionsChanged: () => app.exemptionsChanged(),
    ...(options.onError ? { onError: options.onError } : {}),
  };
}
