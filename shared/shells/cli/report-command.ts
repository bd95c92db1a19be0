/** `trailwarden report --framework F [--db FILE] [--config FILE] [--format markdown|html|csv|json] [--output FILE]` */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { composeCli, UsageError } from './compose';
import { FRAMEWORKS, isFrameworkId } from '../../core/model/framework';
import { buildReport, isReportFormat, renderReport, REPORT_FORMATS } from '../../app/reports';
import type { Finding } from '../../core/findings/finding';
import type { Io } from './io';

export async function reportCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      framework: { type: 'string' },
      db: { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string', default: 'markdown' },
      output: { type: 'string' },
    },
  });
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
