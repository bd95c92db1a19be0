/** The report and export renderers the API serves, from shared/app/reports and shared/app/exports. */
import { buildReport, renderReport } from '../reports';
import { EXPORT_FORMATS, exportFindings, isExportFormat } from '../exports';
import type { ApiDeps } from './router';

/** `GET /api/reports/{framework}`: the framework report as JSON; disabled controls are reported as not watching. */
export function frameworkReport(disabledControls: readonly string[] = []): NonNullable<ApiDeps['report']> {
  return (framework, controls, findings, now) => renderReport(buildReport(framework, controls, findings, now, { disabledControls }), 'json');
}

/** `GET /api/export?format=csv|json|ocsf|asff`. */
export const findingsExport: NonNullable<ApiDeps['exportFindings']> = {
  formats: EXPORT_FORMATS,
  render: (format, findings, controls) => {
    if (!isExportFormat(format)) throw new Error(`unknown export format ${format}`);
    return exportFindings(format, findings, controls);
  },
};
