/** `trailwarden findings`: the recorded findings, as a table for people or an export. */
import { AREAS, isArea } from '../../core/model/area';
import { SEVERITIES, isSeverity } from '../../core/model/severity';
import { FINDING_STATUSES, type Finding, type FindingStatus } from '../../core/findings/finding';
import { DEFAULT_SETTINGS } from '../../core/settings/settings';
import { composeCli, UsageError } from './compose';
import type { FindingQuery } from '../../core/findings/finding-query';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';
import { DB_ENV, DB_OPTION, LOCK_TIMEOUT_ENV, TABLE_ENV } from './shared-options';
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

const FINDINGS_OPTIONS = {
  ...DB_OPTION,
  area: { type: 'string', value: 'AREA', description: `only this area: ${AREAS.join(', ')}` },
  status: { type: 'string', value: 'STATUS', description: `only this status: ${FINDING_STATUSES.join(', ')}` },
  severity: { type: 'string', value: 'SEVERITY', description: 'only this severity' },
  'min-severity': { type: 'string', value: 'SEVERITY', description: `this severity or above: ${SEVERITIES.join(', ')}` },
  format: {
    type: 'string',
    value: 'FORMAT',
    default: 'table',
    description: `${FINDINGS_FORMATS.join(', ')}; the exports (csv, json, ocsf, asff) hold every value in full`,
  },
} as const;

export async function findingsCommand({ values }: ParsedArgs<typeof FINDINGS_OPTIONS>, io: Io): Promise<number> {
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

export const FINDINGS = defineCommand({
  name: 'findings',
  summary: 'lists the recorded findings: a table, most severe first, or an export (csv, json, OCSF, Security Hub ASFF)',
  description: [
    'Lists the findings recorded in the database, filtered. The table fits the terminal (long resource ids are',
    'shortened in the middle), most severe first, then most recent; the exports hold every value in full,',
    'newest activity first: csv (RFC 4180), json (as stored), ocsf (Compliance Findings), asff (Security Hub).',
  ].join(' '),
  options: FINDINGS_OPTIONS,
  environment: [DB_ENV, LOCK_TIMEOUT_ENV, ...TABLE_ENV],
  examples: [
    { what: 'what needs attention first', run: 'findings --status open --min-severity HIGH' },
    { what: 'the network findings for a spreadsheet', run: 'findings --area network --format csv > network.csv' },
    { what: 'for Security Hub', run: 'findings --status open --format asff > findings-asff.json' },
  ],
  run: findingsCommand,
});
