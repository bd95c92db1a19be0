/** The findings API over an application: its stores and delivery, and the report and export renderers it serves. */
import { REPORT_CONTENT_TYPES, reportJsonChunks } from '../reports';
import { EXPORT_FORMATS, exportChunks, exportContentType, isExportFormat } from '../exports';
import { randomUUID } from 'node:crypto';
import type { Application } from '../compose';
import { DEFAULT_MAX_DOCUMENTS, DocumentSlots, type ApiDeps } from './router';

/** `GET /api/reports/{framework}`: the framework report as JSON, streamed; disabled controls are reported as not watching. */
export function frameworkReport(disabledControls: readonly string[]): NonNullable<ApiDeps['report']> {
  return (framework, controls, pages, now) => ({
    contentType: REPORT_CONTENT_TYPES.json,
    body: reportJsonChunks(framework, controls, pages, now, { disabledControls }),
  });
}

/** `GET /api/export?format=csv|json|ocsf|asff`, streamed. */
export const findingsExport: NonNullable<ApiDeps['exportFindings']> = {
  formats: EXPORT_FORMATS,
  render: (format, pages, controls) => {
    if (!isExportFormat(format)) throw new Error(`unknown export format ${format}`);
    return { contentType: exportContentType(format), body: exportChunks(format, pages, controls) };
  },
};

export interface ApiOptions {
  /** Every /api/ request must carry it as a bearer token (the local server; IAM authorizes in AWS). */
  token?: string;
  /** Unexpected failures (the answer is a bare 500). */
  onError?: (error: unknown) => void;
  /** Exemption ids (default: random UUIDs). */
  newId?: () => string;
  /** Exports and reports running at once; one more is answered 429 (default DEFAULT_MAX_DOCUMENTS). */
  maxDocuments?: number;
}

/** The API's dependencies over an application: reports and exports included, the pipeline's exemption cache refreshed on change. */
export function apiDepsOf(app: Application, options: ApiOptions = {}): ApiDeps {
  return {
    storage: app.storage,
    catalogue: app.catalogue,
    delivery: app.delivery,
    now: app.clock,
    maxFutureMs: app.settings.maxEventAheadMinutes * 60_000,
    newId: options.newId ?? randomUUID,
    ...(options.token !== undefined ? { token: options.token } : {}),
    report: frameworkReport(app.settings.disabledControls),
    exportFindings: findingsExport,
    documentSlots: new DocumentSlots(options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS),
    onExemptionsChanged: () => app.exemptionsChanged(),
    ...(options.onError ? { onError: options.onError } : {}),
  };
}
