/** The counts by area and severity (cards) and the 30-day trend chart (inline SVG). */
import { AREAS } from '../core/model/area';
import { SEVERITIES } from '../core/model/severity';
import type { Summary } from '../app/api/contract';
import { clear, el, svg } from './dom';

export function renderSummary(summary: Summary, container: HTMLElement): void {
  clear(container);
  const totals = el('div', { className: 'cards totals' }, [
    card('Total', summary.total, 'findings', 'total', 'card-total'),
    card('Open', summary.byStatus.open, 'need attention', 'open', 'card-open'),
    card('Resolved', summary.byStatus.resolved, 'fixed since', 'resolved', 'card-resolved'),
    card('Suppressed', summary.byStatus.suppressed, 'exempted', 'suppressed', 'card-suppressed'),
  ]);

  const severityCards = el(
    'div',
    { className: 'cards severities' },
    [...SEVERITIES]
      .reverse()
      .map((severity) =>
        card(severity, summary.bySeverity[severity] ?? 0, 'open', `severity-${severity.toLowerCase()}`, `card-severity-${severity}`),
      ),
  );

  const areaCards = el(
    'div',
    { className: 'cards areas' },
    AREAS.map((area) => {
      const counts = summary.byArea[area] ?? { open: 0, resolved: 0, suppressed: 0 };
      return card(
        area,
        counts.open,
        `open · ${counts.resolved} resolved${counts.suppressed > 0 ? ` · ${counts.suppressed} suppressed` : ''}`,
        'area',
        `card-area-${area}`,
      );
    }),
  );

  container.append(
    el('h3', { text: 'By status' }),
    totals,
    el('h3', { text: 'Open by severity' }),
    severityCards,
    el('h3', { text: 'By area' }),
    areaCards,
  );
}

function card(label: string, value: number, detail: string, kind: string, testId: string): HTMLElement {
  return el('article', { className: `card card-${kind}`, attrs: { 'data-testid': testId, 'aria-label': `${label}: ${value} ${detail}` } }, [
    el('h4', { className: 'card-label', text: label }),
    el('p', { className: 'card-value', text: value }),
    el('p', { className: 'card-detail', text: detail }),
  ]);
}

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 36 };

/** Opened and resolved findings per day, as paired bars. */
export function renderTrend(trend: Summary['trend'], container: HTMLElement): void {
  clear(container);
  const opened = trend.reduce((sum, day) => sum + day.opened, 0);
  const resolved = trend.reduce((sum, day) => sum + day.resolved, 0);
  const first = trend[0]?.day ?? '';
  const last = trend[trend.length - 1]?.day ?? '';
  const max = Math.max(1, ...trend.map((day) => Math.max(day.opened, day.resolved)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = trend.length > 0 ? plotWidth / trend.length : plotWidth;
  const barWidth = Math.max(1, slot / 2 - 1);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;

  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-labelledby': 'trend-title trend-desc',
    class: 'trend-chart',
    preserveAspectRatio: 'xMidYMid meet',
  });
  const title = svg('title', { id: 'trend-title' });
  title.textContent = `Findings opened and resolved per day, ${first} to ${last}`;
  const desc = svg('desc', { id: 'trend-desc' });
  desc.textContent = `${opened} opened and ${resolved} resolved in the last ${trend.length} days.`;
  chart.append(title, desc);

  for (const tick of [0, Math.ceil(max / 2), max]) {
    chart.append(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: 'grid' }));
    const label = svg('text', { x: PAD.left - 6, y: y(tick) + 4, class: 'axis axis-y' });
    label.textContent = String(tick);
    chart.append(label);
  }

  trend.forEach((day, index) => {
    const x = PAD.left + index * slot;
    for (const [series, value, offset] of [
      ['opened', day.opened, 0],
      ['resolved', day.resolved, barWidth + 1],
    ] as const) {
      const bar = svg('rect', {
        x: x + offset,
        y: y(value),
        width: barWidth,
        height: Math.max(0, PAD.top + plotHeight - y(value)),
        class: `bar bar-${series}`,
      });
      const tip = svg('title');
      tip.textContent = `${day.day}: ${value} ${series}`;
      bar.append(tip);
      chart.append(bar);
    }
    if (index === 0 || index === trend.length - 1 || index === Math.floor(trend.length / 2)) {
      const label = svg('text', { x: x + slot / 2, y: HEIGHT - 8, class: 'axis axis-x' });
      label.textContent = day.day.slice(5);
      chart.append(label);
    }
  });
  chart.append(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0), class: 'baseline' }));

  const legend = el('ul', { className: 'legend' }, [
    el('li', { className: 'legend-opened' }, [
      el('span', { className: 'swatch swatch-opened', attrs: { 'aria-hidden': 'true' } }),
      `Opened (${opened})`,
    ]),
    el('li', { className: 'legend-resolved' }, [
      el('span', { className: 'swatch swatch-resolved', attrs: { 'aria-hidden': 'true' } }),
      `Resolved (${resolved})`,
    ]),
  ]);
  container.append(chart, legend);
  if (opened === 0 && resolved === 0) {
    container.append(el('p', { className: 'trend-empty', text: `No finding opened or resolved between ${first} and ${last}.` }));
  }
}
