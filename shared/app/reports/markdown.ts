/** A framework report as Markdown (GitHub-flavoured tables). Every value from findings or controls is escaped. */
import type { FrameworkReport, Verdict } from './build-report';
import { inertText } from '../../core/model/text';

export const VERDICT_LABELS: Record<Verdict, string> = { failing: 'FAILING', passing: 'passing', 'not-evaluated': 'not evaluated' };

/**
 * Text safe in a Markdown table cell: no raw HTML, no emphasis or link syntax, no pipe, one line (a
 * line break is a space), and inert: other controls, bidi and invisible characters are escapes (`\x1b`).
 */
export function escapeMarkdown(text: string): string {
  return inertText(text.replace(/\r\n|\r|\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#!~])/g, '\\$1');
}

export function reportToMarkdown(report: FrameworkReport): string {
  const e = escapeMarkdown;
  const { summary } = report;
  const lines: string[] = [
    `# ${e(report.framework.name)}: compliance report`,
    '',
    `Generated ${e(report.generatedAt)} by trailwarden from the findings it recorded. ` +
      `${summary.requirements} requirements are mapped to ${summary.controls} controls.`,
    '',
    '| verdict | requirements |',
    '| --- | ---: |',
    `| ${VERDICT_LABELS.failing} | ${summary.failing} |`,
    `| ${VERDICT_LABELS.passing} | ${summary.passing} |`,
    `| ${VERDICT_LABELS['not-evaluated']} | ${summary.notEvaluated} |`,
    '',
    `Findings of mapped controls: ${summary.findings.open} open, ${summary.findings.suppressed} suppressed, ${summary.findings.resolved} resolved.`,
    '',
    '## Requirements',
    '',
    '| requirement | verdict | reason | open | suppressed | resolved | controls |',
    '| --- | --- | --- | ---: | ---: | ---: | --- |',
    ...report.requirements.map(
      (r) =>
        `| ${e(r.requirement)} | ${VERDICT_LABELS[r.verdict]} | ${e(r.reason)} | ${r.open} | ${r.suppressed} | ${r.resolved} | ` +
        `${r.controls.map((c) => `${e(c.id)}${c.enabled ? '' : ' (disabled)'}`).join('<br>')} |`,
    ),
    '',
    '## Open and suppressed findings',
    '',
  ];
  if (report.findings.length === 0) {
    lines.push('None.');
  } else {
    lines.push(
      '| severity | status | control | resource | account/region | last seen | requirements | message |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const f of report.findings) {
      lines.push(
        `| ${f.severity} | ${f.status} | ${e(f.controlId)} | ${e(f.resource)} | ${e(`${f.account}/${f.region}`)} | ${e(f.lastSeen)} | ` +
          `${e(f.requirements.join(', '))} | ${e(f.message)} |`,
      );
    }
  }
  lines.push(
    '',
    '## Verdicts',
    '',
    '- **FAILING**: at least one open finding of a control mapped to the requirement.',
    '- **passing**: no open or suppressed finding, and at least one mapped control is enabled.',
    '- **not evaluated**: no open finding, but no mapped control is enabled, or a finding is suppressed by an exemption (to review).',
    '',
    'A report speaks only for the events trailwarden has seen: passing means no recorded violation.',
    '',
  );
  return lines.join('\n');
}
