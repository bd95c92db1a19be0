/**
 * A framework report as one self-contained HTML page: inline CSS, inline SVG charts, no script, no
 * external resource (a Content-Security-Policy forbids both), print styles. Every string is escaped.
 */
import { SEVERITIES } from '../../core/model/severity';
import type { FrameworkReport, Verdict } from './build-report';
import { VERDICT_LABELS } from './markdown';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML element content and in quoted attribute values. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const VERDICT_COLORS: Record<Verdict, string> = { failing: '#c62828', passing: '#2e7d32', 'not-evaluated': '#8d8d8d' };
const SEVERITY_COLORS: Record<string, string> = {
  CRITICAL: '#7b1fa2',
  HIGH: '#c62828',
  MEDIUM: '#ef6c00',
  LOW: '#f9a825',
  INFORMATIONAL: '#607d8b',
};

const STYLE = `
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c1c1c; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin-bottom: .2rem; }
  h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
  .meta { color: #555; margin-top: 0; }
  .charts { display: flex; flex-wrap: wrap; gap: 2rem; align-items: center; }
  .chart figcaption { font-weight: 600; margin-bottom: .4rem; }
  .legend { list-style: none; padding: 0; margin: .4rem 0 0; }
  .legend li { margin: .15rem 0; }
  .swatch { display: inline-block; width: .8em; height: .8em; margin-right: .4em; vertical-align: -.05em; border-radius: 2px; }
  table { border-collapse: collapse; width: 100%; margin-top: .6rem; }
  th, td { border: 1px solid #ddd; padding: .3rem .45rem; text-align: left; vertical-align: top; }
  th { background: #f4f4f4; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .verdict { font-weight: 600; white-space: nowrap; }
  .verdict-failing { color: #c62828; }
  .verdict-passing { color: #2e7d32; }
  .verdict-not-evaluated { color: #616161; }
  .disabled { color: #888; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; word-break: break-all; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10pt; }
    h2 { break-after: avoid; }
    table { font-size: 9pt; }
    thead { display: table-header-group; }
    tr, figure { break-inside: avoid; }
    * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }`;

function donut(report: FrameworkReport): string {
  const parts: Array<[Verdict, number]> = [
    ['failing', report.summary.failing],
    ['passing', report.summary.passing],
    ['not-evaluated', report.summary.notEvaluated],
  ];
  const total = parts.reduce((sum, [, n]) => sum + n, 0);
  const radius = 60;
  const circumference = 2 * Math.PI * radius;
  let offset = 0;
  const arcs = parts
    .filter(([, n]) => n > 0)
    .map(([verdict, n]) => {
      const length = (n / total) * circumference;
      const arc =
        `<circle cx="80" cy="80" r="${radius}" fill="none" stroke="${VERDICT_COLORS[verdict]}" stroke-width="28" ` +
        `stroke-dasharray="${length.toFixed(2)} ${(circumference - length).toFixed(2)}" stroke-dashoffset="${(-offset).toFixed(2)}" transform="rotate(-90 80 80)"/>`;
      offset += length;
      return arc;
    });
  const ring = total === 0 ? `<circle cx="80" cy="80" r="${radius}" fill="none" stroke="#e0e0e0" stroke-width="28"/>` : arcs.join('');
  return `<figure class="chart"><figcaption>Requirements by verdict</figcaption>
<svg width="160" height="160" viewBox="0 0 160 160" role="img" aria-label="${escapeHtml(parts.map(([v, n]) => `${VERDICT_LABELS[v]}: ${n}`).join(', '))}">
${ring}<text x="80" y="86" text-anchor="middle" font-size="22" font-weight="600">${total}</text></svg>
<ul class="legend">${parts.map(([v, n]) => `<li><span class="swatch" style="background:${VERDICT_COLORS[v]}"></span>${escapeHtml(VERDICT_LABELS[v])}: ${n}</li>`).join('')}</ul></figure>`;
}

function severityBars(report: FrameworkReport): string {
  const counts = [...SEVERITIES].reverse().map((severity) => [severity, report.summary.openBySeverity[severity]] as const);
  const max = Math.max(1, ...counts.map(([, n]) => n));
  const rowHeight = 24;
  const bars = counts
    .map(([severity, n], i) => {
      const y = i * rowHeight;
      const width = Math.round((n / max) * 220);
      return (
        `<text x="0" y="${y + 16}" font-size="12">${escapeHtml(severity)}</text>` +
        `<rect x="110" y="${y + 4}" width="${width}" height="16" fill="${SEVERITY_COLORS[severity]}"/>` +
        `<text x="${116 + width}" y="${y + 16}" font-size="12">${n}</text>`
      );
    })
    .join('');
  return `<figure class="chart"><figcaption>Open findings by severity</figcaption>
<svg width="380" height="${counts.length * rowHeight}" viewBox="0 0 380 ${counts.length * rowHeight}" role="img" aria-label="${escapeHtml(counts.map(([s, n]) => `${s}: ${n}`).join(', '))}">${bars}</svg></figure>`;
}

export function reportToHtml(report: FrameworkReport): string {
  const e = escapeHtml;
  const { summary } = report;
  const requirementRows = report.requirements
    .map(
      (r) =>
        `<tr><td><code>${e(r.requirement)}</code></td><td class="verdict verdict-${r.verdict}">${e(VERDICT_LABELS[r.verdict])}</td><td>${e(r.reason)}</td>` +
        `<td class="num">${r.open}</td><td class="num">${r.suppressed}</td><td class="num">${r.resolved}</td><td>` +
        r.controls
          .map(
            (c) =>
              `<div${c.enabled ? '' : ' class="disabled"'}><code>${e(c.id)}</code> ${e(c.title)}${c.enabled ? '' : ' (disabled)'}</div>`,
          )
          .join('') +
        `</td></tr>`,
    )
    .join('\n');
  const findingRows = report.findings
    .map(
      (f) =>
        `<tr><td>${e(f.severity)}</td><td>${e(f.status)}</td><td><code>${e(f.controlId)}</code></td><td><code>${e(f.resource)}</code></td>` +
        `<td>${e(f.account)}/${e(f.region)}</td><td>${e(f.lastSeen)}</td><td>${e(f.requirements.join(', '))}</td><td>${e(f.message)}</td></tr>`,
    )
    .join('\n');
  const title = `${report.framework.name}: compliance report`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}
</style>
</head>
<body>
<header>
<h1>${e(title)}</h1>
<p class="meta">Generated ${e(report.generatedAt)} by trailwarden from the findings it recorded. ${summary.requirements} requirements mapped to ${summary.controls} controls; findings of those controls: ${summary.findings.open} open, ${summary.findings.suppressed} suppressed, ${summary.findings.resolved} resolved.</p>
</header>
<section class="charts">
${donut(report)}
${severityBars(report)}
</section>
<h2>Requirements</h2>
<table>
<thead><tr><th>Requirement</th><th>Verdict</th><th>Reason</th><th>Open</th><th>Suppressed</th><th>Resolved</th><th>Controls</th></tr></thead>
<tbody>
${requirementRows}
</tbody>
</table>
<h2>Open and suppressed findings</h2>
${
  report.findings.length === 0
    ? '<p>None.</p>'
    : `<table>
<thead><tr><th>Severity</th><th>Status</th><th>Control</th><th>Resource</th><th>Account/Region</th><th>Last seen</th><th>Requirements</th><th>Message</th></tr></thead>
<tbody>
${findingRows}
</tbody>
</table>`
}
<h2>Verdicts</h2>
<ul>
<li><strong>FAILING</strong>: at least one open finding of a control mapped to the requirement.</li>
<li><strong>passing</strong>: no open or suppressed finding, and at least one mapped control is enabled.</li>
<li><strong>not evaluated</strong>: no open finding, but no mapped control is enabled, or a finding is suppressed by an exemption (to review).</li>
</ul>
<p class="meta">A report speaks only for the events trailwarden has seen: passing means no recorded violation.</p>
</body>
</html>
`;
}
