/** `trailwarden report --framework F [--db FILE] [--config FILE] [--format markdown|html|csv|json] [--output FILE]` */
import { writeFileSync } from 'node:fs';
import { composeCli, UsageError } from './compose';
import { FRAMEWORKS, isFrameworkId } from '../../core/model/framework';
import { buildReport, isReportFormat, renderReport, REPORT_FORMATS } from '../../app/reports';
import type { Finding } from '../../core/findings/finding';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';
import { CONFIG_ENV, CONFIG_OPTION, DB_ENV, DB_OPTION, LOCK_TIMEOUT_ENV } from './shared-options';

const REPORT_OPTIONS = {
  framework: { type: 'string', value: 'FRAMEWORK', description: `required: ${Object.keys(FRAMEWORKS).join(', ')}` },
  ...DB_OPTION,
  ...CONFIG_OPTION,
  format: { type: 'string', value: 'FORMAT', default: 'markdown', description: REPORT_FORMATS.join(', ') },
  output: { type: 'string', value: 'FILE', description: 'write the report to FILE instead of stdout' },
} as const;

export async function reportCommand({ values }: ParsedArgs<typeof REPORT_OPTIONS>, io: Io): Promise<number> {
  const frameworks = Object.keys(FRAMEWORKS).join(', ');
  if (values.framework === undefined) throw new UsageError(`--framework is required: one of ${frameworks}`);
  if (!isFrameworkId(values.framework)) throw new UsageError(`--framework ${values.framework}: expected one of ${frameworks}`);
  if (!isReportFormat(values.format)) throw new UsageError(`--format ${values.format}: expected one of ${REPORT_FORMATS.join(', ')}`);
  if (values.output === '') throw new UsageError('--output: expected a file path');
  const app = composeCli({ config: values.config, db: values.db }, io);
  let findings: Finding[];
  try {
    findings = await app.storage.findings.listFindings();
  } finally {
    await app.close();
  }
  const report = buildReport(values.framework, app.catalogue, findings, app.clock(), { disabledControls: app.settings.disabledControls });
  const { body } = renderReport(report, values.format);
  if (values.output !== undefined) {
    writeFileSync(values.output, body);
    io.err(
      `trailwarden report: ${report.framework.name}: ${report.summary.failing} failing, ${report.summary.passing} passing, ${report.summary.notEvaluated} not evaluated; written to ${values.output}`,
    );
  } else {
    // The body ends with its line terminator; io.out supplies the final "\n".
    io.out(body.replace(/\n$/, ''));
  }
  return 0;
}

export const REPORT = defineCommand({
  name: 'report',
  summary: 'a compliance report for one framework: each requirement failing, passing or not evaluated, with its findings',
  description: [
    'Judges every requirement of the framework that a control maps to, from the findings recorded so far:',
    'failing (an open finding of a mapped control), passing (none, and a mapped control enabled) or not evaluated.',
    'Passing means no recorded violation, not proof of compliance. html is one self-contained page for an audit.',
  ].join(' '),
  options: REPORT_OPTIONS,
  environment: [DB_ENV, CONFIG_ENV, LOCK_TIMEOUT_ENV],
  examples: [
    { what: 'CIS AWS Foundations, in the terminal', run: 'report --framework cis-aws' },
    { what: 'PCI DSS 4.0 as a page to attach to an audit', run: 'report --framework pci-dss-4.0 --format html --output pci.html' },
  ],
  run: reportCommand,
});
