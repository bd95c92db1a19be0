/** `trailwarden findings`: the recorded findings, as a table for people or an export. */
import { AREAS, isArea } from '../../core/model/area';
import { SEVERITIES, type Severity, isSeverity, severityRank } from '../../core/model/severity';
import { FINDING_STATUSES, type Finding, type FindingStatus } from '../../core/findings/finding';
import { DEFAULT_SETTINGS } from '../../core/settings/settings';
import { composeCli, UsageError } from './compose';
import type { FindingQuery } from '../../core/findings/finding-query';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';
import { DB_ENV, DB_OPTION, LOCK_TIMEOUT_ENV, TABLE_ENV } from './shared-options';
import { renderTable } from './table';
import { outputWidth, severityPainter } from './style';
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
      io.out(renderFindingsTable(findings, { width: outputWidth(io), paint: severityPainter(io) }));
    } else {
      // The body ends with its line terminator (CRLF for CSV); io.out supplies the final "\n".
      io.out(exportFindings(format, findings, app.catalogue).body.replace(/\n$/, ''));
    }
    return 0;
  } finally {
    await app.close();
  }
}

/** Most severe first, then most recently seen (then by id): the order of the tables people read. */
export function mostSevereFirst(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.lastSeen === b.lastSeen ? 0 : a.lastSeen < b.lastSeen ? 1 : -1) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export interface FindingsTableOptions {
  /** The width the lines fit (undefined: no limit). */
  width?: number | undefined;
  /** Colours a severity (style.ts: only on a terminal). */
  paint?: (severity: Severity, text: string) => string;
}

/** `2025-12-01T10:00Z`: a time to the minute, in UTC. */
export function minuteOf(time: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(time) ? `${time.slice(0, 16)}Z` : time;
}

/** The findings for people: most severe first, fitted to the width; the exports keep every value in full. */
export function renderFindingsTable(findings: Finding[], options: FindingsTableOptions = {}): string {
  if (findings.length === 0) return '(no findings)';
  const ordered = [...findings].sort(mostSevereFirst);
  const paint = options.paint;
  const [area, control, resource, where, count, lastSeen] = [1, 3, 4, 5, 6, 7];
  return renderTable(
    [
      { header: 'SEVERITY', ...(paint ? { style: (cell: string, row: number) => paint(ordered[row]!.severity, cell) } : {}) },
      { header: 'AREA' },
      { header: 'STATUS' },
      { header: 'CONTROL' },
      { header: 'RESOURCE' },
      { header: 'ACCOUNT/REGION' },
      { header: 'COUNT' },
      // The day stays whole: the time goes first.
      { header: 'LAST SEEN', shorten: (cell, width) => cell.slice(0, width) },
    ],
    ordered.map((f) => [
      f.severity,
      f.area,
      f.status,
      f.controlId,
      f.qualifier ? `${f.resourceId} (${f.qualifier})` : f.resourceId,
      `${f.account}/${f.region}`,
      String(f.count),
      minuteOf(f.lastSeen),
    ]),
    {
      width: options.width,
      // The area is the control id's first word; a resource id keeps its start and end; the control id gives way last.
      giveWay: [
        { column: resource, to: 24 },
        { column: area },
        { column: lastSeen, to: 10 },
        { column: count },
        { column: where, to: 14 },
        { column: resource, to: 16 },
        { column: control, to: 24 },
        { column: where },
        { column: lastSeen },
        { column: control, to: 16 },
      ],
    },
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
