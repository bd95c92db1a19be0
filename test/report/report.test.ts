/** Framework reports: verdicts, ordering, and the Markdown, CSV and HTML renderings. */
import { buildReport, compareRequirements, renderReport } from '../../shared/app/reports';
import { control, finding, parseCsv } from '../export/fixtures';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const controls = [
  control('a.open', [
    { framework: 'pci-dss-4.0', requirement: '1.3.1' },
    { framework: 'cis-aws', requirement: '5.2' },
  ]),
  control('b.resolved', [
    { framework: 'pci-dss-4.0', requirement: '10.2.1' },
    { framework: 'pci-dss-4.0', requirement: '1.3.1' },
  ]),
  control('c.quiet', [{ framework: 'pci-dss-4.0', requirement: '2.2.1' }]),
  control('d.disabled', [{ framework: 'pci-dss-4.0', requirement: '10.2.1.2' }]),
  control('e.suppressed', [{ framework: 'pci-dss-4.0', requirement: '8.3.6' }]),
];
const findings = [
  finding({ controlId: 'a.open', resourceId: 'sg-1', message: '<script>alert(1)</script> & "quotes" | pipe *bold*' }),
  finding({ controlId: 'b.resolved', resourceId: 'sg-2', status: 'resolved', resolvedAt: '2025-01-05T00:00:00.000Z' }),
  finding({ controlId: 'e.suppressed', resourceId: 'sg-3', status: 'suppressed' }),
  finding({ controlId: 'unrelated.control', resourceId: 'sg-4' }),
];
const report = buildReport('pci-dss-4.0', controls, findings, NOW, { disabledControls: ['d.disabled'] });
const byRequirement = (id: string) => report.requirements.find((r) => r.requirement === id)!;

describe('buildReport', () => {
  it('lists the framework requirements the controls map to, in natural order', () => {
    expect(report.requirements.map((r) => r.requirement)).toEqual(['1.3.1', '2.2.1', '8.3.6', '10.2.1', '10.2.1.2']);
    expect(['AC-10', 'AC-2(1)', 'AC-2', '3.10', '3.2', '3.1'].sort(compareRequirements)).toEqual([
      '3.1',
      '3.2',
      '3.10',
      'AC-2',
      'AC-2(1)',
      'AC-10',
    ]);
  });

  it('fails a requirement with an open finding of any mapped control', () => {
    expect(byRequirement('1.3.1')).toMatchObject({ verdict: 'failing', open: 1, resolved: 1, suppressed: 0 });
    expect(byRequirement('1.3.1').controls.map((c) => c.id)).toEqual(['a.open', 'b.resolved']);
  });

  it('passes a requirement whose enabled controls have no open or suppressed finding', () => {
    expect(byRequirement('10.2.1')).toMatchObject({ verdict: 'passing', open: 0, resolved: 1 });
    expect(byRequirement('2.2.1')).toMatchObject({ verdict: 'passing', open: 0, resolved: 0, suppressed: 0 });
  });

  it('does not evaluate a requirement with no enabled control, or one left to an exemption', () => {
    expect(byRequirement('10.2.1.2')).toMatchObject({ verdict: 'not-evaluated', reason: 'no enabled control' });
    expect(byRequirement('10.2.1.2').controls[0]).toMatchObject({ id: 'd.disabled', enabled: false });
    expect(byRequirement('8.3.6')).toMatchObject({ verdict: 'not-evaluated', suppressed: 1 });
    expect(byRequirement('8.3.6').reason).toMatch(/suppressed/);
  });

  it('summarizes verdicts and the findings of mapped controls only', () => {
    expect(report.summary).toMatchObject({
      requirements: 5,
      failing: 1,
      passing: 2,
      notEvaluated: 2,
      controls: 5,
      findings: { open: 1, suppressed: 1, resolved: 1 },
    });
    expect(report.summary.openBySeverity.HIGH).toBe(1);
    expect(report.findings.map((f) => f.controlId)).toEqual(['a.open', 'e.suppressed']);
    expect(report.findings[0]!.requirements).toEqual(['1.3.1']);
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(report.framework).toEqual({ id: 'pci-dss-4.0', name: 'PCI DSS v4.0' });
  });
});

describe('renderReport', () => {
  it('markdown: a title, a verdict summary, a requirements table with one row per requirement, escaped text', () => {
    const { contentType, body } = renderReport(report, 'markdown');
    expect(contentType).toMatch(/^text\/markdown/);
    const lines = body.split('\n');
    expect(lines[0]).toBe('# PCI DSS v4.0: compliance report');
    const start = lines.indexOf('## Requirements');
    expect(start).toBeGreaterThan(0);
    expect(lines[start + 2]).toBe('| requirement | verdict | reason | open | suppressed | resolved | controls |');
    const rows = lines.slice(start + 4, start + 4 + 5);
    expect(rows.map((row) => row.split(' | ')[0])).toEqual(['| 1.3.1', '| 2.2.1', '| 8.3.6', '| 10.2.1', '| 10.2.1.2']);
    expect(rows[0]).toContain('| FAILING |');
    expect(body).toContain('## Open and suppressed findings');
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes" \\| pipe \\*bold\\*');
    const findingRow = lines.find((line) => line.includes('a.open') && line.includes('sg-1'))!;
    expect(findingRow.split(/(?<!\\)\|/).length).toBe(10);
  });

  it('csv: one row per requirement under a header', () => {
    const { body } = renderReport(report, 'csv');
    const rows = parseCsv(body);
    expect(body.split('\r\n')[0]).toBe('framework,requirement,verdict,reason,open,suppressed,resolved,controls,disabled_controls');
    expect(rows.slice(1).map((r) => [r[1], r[2]])).toEqual([
      ['1.3.1', 'failing'],
      ['2.2.1', 'passing'],
      ['8.3.6', 'not-evaluated'],
      ['10.2.1', 'passing'],
      ['10.2.1.2', 'not-evaluated'],
    ]);
    expect(rows[5]![8]).toBe('d.disabled');
  });

  it('html: self-contained, printable, charts inline, every string escaped so a <script> message is inert', () => {
    const { contentType, body } = renderReport(report, 'html');
    expect(contentType).toMatch(/^text\/html/);
    expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(body).not.toMatch(/<script/i);
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(body).not.toMatch(/\b(src|href)\s*=/i);
    expect(body).not.toMatch(/https?:\/\//);
    expect(body).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(body).toContain('@media print');
    expect((body.match(/<svg /g) ?? []).length).toBe(2);
    expect(body).toMatch(/<td class="verdict verdict-failing">FAILING<\/td>/);
  });

  it('html escapes a hostile framework-supplied string too (requirement, control title)', () => {
    const hostile = buildReport(
      'gdpr',
      [control('x.y', [{ framework: 'gdpr', requirement: '<img onerror=alert(1)>' }], { title: '"><b>t</b>' })],
      [],
      NOW,
    );
    const { body } = renderReport(hostile, 'html');
    expect(body).not.toContain('<img');
    expect(body).not.toContain('<b>t</b>');
    expect(body).toContain('&lt;img onerror=alert(1)&gt;');
  });

  it('json: the report as data', () => {
    expect(JSON.parse(renderReport(report, 'json').body)).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
