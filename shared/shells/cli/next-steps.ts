/**
 * Where a first run leads: the three most severe open findings, each with the first step of its control's
 * runbook, and the commands to go further (the dashboard, a framework report, the findings that matter).
 */
import type { Finding } from '../../core/findings/finding';
import type { Control } from '../../core/model/control';
import type { Severity } from '../../core/model/severity';
import { inertText } from '../../core/model/text';
import { mostSevereFirst } from './findings-command';
import { shortenMiddle } from './table';

/** The findings shown with their first runbook step. */
export const MOST_SEVERE_SHOWN = 3;

const DEFAULT_DATABASE = './trailwarden.db';

export interface NextStepsOptions {
  width?: number | undefined;
  paint?: (severity: Severity, text: string) => string;
}

/** `text` broken at spaces into lines of at most `width` characters, each after `indent`. */
function wrap(text: string, indent: string, width: number | undefined): string[] {
  if (width === undefined || width - indent.length < 20) return [`${indent}${text}`];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length + indent.length > width && line !== '') {
      lines.push(`${indent}${line}`);
      line = word;
    } else line = candidate;
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines.map((l) => (l.length > width ? shortenMiddle(l, width) : l));
}

export function renderNextSteps(
  open: readonly Finding[],
  catalogue: readonly Control[],
  databasePath: string,
  options: NextStepsOptions = {},
): string {
  const { width } = options;
  const paint = options.paint ?? ((_severity: Severity, text: string) => text);
  const lines: string[] = [];
  const shown = [...open].sort(mostSevereFirst).slice(0, MOST_SEVERE_SHOWN);
  if (shown.length > 0) {
    lines.push(`The ${shown.length === 1 ? 'most severe open finding' : `${shown.length} most severe open findings`}:`);
    shown.forEach((finding, index) => {
      const control = catalogue.find((c) => c.id === finding.controlId);
      const resource = finding.qualifier ? `${finding.resourceId} (${finding.qualifier})` : finding.resourceId;
      const head = `${index + 1}. ${finding.severity} ${finding.controlId}`;
      const where = ` on ${inertText(resource)} in ${finding.account}/${finding.region}`;
      const text = width !== undefined && head.length + where.length > width ? shortenMiddle(`${head}${where}`, width) : `${head}${where}`;
      lines.push(text.replace(finding.severity, paint(finding.severity, finding.severity)));
      if (control) {
        lines.push(...wrap(control.title, '   ', width));
        const step = control.runbook[0];
        if (step) lines.push(...wrap(`First step: ${step}`, '   ', width));
      }
    });
    lines.push('');
  }
  const db = databasePath === DEFAULT_DATABASE ? '' : ` --db ${inertText(databasePath)}`;
  const steps: Array<[string, string]> = [
    [`npx trailwarden serve${db}`, 'the dashboard: evidence, history, runbooks'],
    [`npx trailwarden report --framework cis-aws${db}`, 'the CIS AWS Foundations report'],
    [`npx trailwarden findings --min-severity HIGH${db}`, 'the HIGH and CRITICAL findings'],
  ];
  const column = Math.max(...steps.map(([command]) => command.length));
  const described = steps.map(([command, what]) => `  ${command.padEnd(column)}  ${what}`);
  // All described, or (too wide for the terminal) the commands alone.
  const fits = width === undefined || described.every((line) => line.length <= width);
  lines.push('Next steps:', ...(fits ? described : steps.map(([command]) => `  ${command}`)));
  return lines.join('\n');
}
