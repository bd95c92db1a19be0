/** `trailwarden findings [--db FILE] [--area A] [--status S] [--severity S] [--min-severity S] [--format table|json|csv|ocsf|asff]` */
import { parseArgs } from 'node:util';
import { AREAS, isArea } from '../../core/model/area';
import { SEVERITIES, isSeverity } from '../../core/model/severity';
import { FINDING_STATUSES, type Finding, type FindingStatus } from '../../core/findings/finding';
import { DEFAULT_SETTINGS } from '../../core/settings/settings';
import { composeCli, UsageError } from './compose';
import type { FindingQuery } from '../../core/findings/finding-query';
import type { Io } from './io';
import { renderTable } from './table';
import { EXPORT_FORMATS, exportFindings, isExportFormat } from '../../app/exports';

const FINDINGS_FORMATS = ['table', ...EXPORT_FORMATS] as const;

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  is: (v: unknown) => v is T,
): T | undefined {
  if (value === undefined) return undefined;
  // Severities are upper case by convention; accept `critical` as well.
  const normalized = allowed === (SEVERITIES as readonly string[]) ? value.toUpperCase() : value;
  if (!is(normalized)) throw new UsageError(`${flag} ${value}: expected one of ${allowed.join(', ')}`);
  return normalized;
}

const isStatus = (v: unknown): v is FindingStatus => typeof v === 'string' && (FINDING_STATUSES as readonly string[]).includes(v);

export async function findingsCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      area: { type: 'string' },
      status: { type: 'string' },
      severity: { type: 'string' },
      'min-severity': { type: 'string' },
      format: { type: 'string', default: 'table' },
    },
  });
  const query: FindingQuery = {};
  const area = oneOf('--area', values.area, AREAS, isArea);
  const status = oneOf('--status', values.status, FINDING_STATUSES, isStatus);
  const severity = oneOf('--severity', values.severity, SEVERITIES, isSeverity);
  const minSeverity = oneOf('--min-severity', values['min-severity'], SEVERITIES, isSeverity);
  if (area) query.area = area;
  if (status) query.status = status;
  if (severity) query.severity = severity;
  if (minSeverity) query.minSeverity = minSeverity;
  const format = values.format;
  if (format !== 'table' && !isExportFormat(format))
    throw new UsageError(`--format ${format}: expected one of ${FINDINGS_FORMATS.join(', ')}`);
  const app = composeCli({ db: values.db, settings: DEFAULT_SETTINGS }, io);
  try {
    const findings = await app.storage.findings.listFindings(query);
    if (format === 'table') {
      io.out(renderFindingsTable(findings));
    } else {
      // The body ends with its line terminator (CRLF for CSV); io.out supplies the final "\n".
      io.out(exportFindings(format, findings, app.catalogue).body.replace(/\n$/, ''));
    }
    return 0;
  } finally {
    await app.close();
  }
}

export function renderFindingsTable(findings: Finding[]): string {
  if (findings.length === 0) return '(no findings)';
  return renderTable(
    ['SEVERITY', 'AREA', 'STATUS', 'CONTROL', 'RESOURCE', 'ACCOUNT/REGION', 'COUNT', 'LAST SEEN'],
    findings.map((f) => [
      f.severity,
      f.area,
      f.status,
      f.controlId,
      f.qualifier ? `${f.resourceId} (${f.qualifier})` : f.resourceId,
      `${f.account}/${f.region}`,
      String(f.count),
      f.lastSeen,
    ]),
  );
}
