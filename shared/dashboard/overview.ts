/** The counts by area and severity (cards) and the trend chart of a period (inline SVG). */
import { AREAS } from '../core/model/area';
import { SEVERITIES } from '../core/model/severity';
import type { Summary, TrendPeriod } from '../app/api/contract';
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
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 44, left: 52 };
/** Up to this many days, opened and resolved stand side by side; beyond, stacked in one bar a day. */
const PAIRED_DAYS = 120;
/** Date labels on the x axis. */
const X_TICKS = 5;

/** What the period selector offers (the API's TrendPeriod values), in its order. */
export const PERIOD_LABELS: Record<TrendPeriod, string> = {
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  '1y': 'Last year',
  all: 'All recorded activity',
};

/** Whether a trend holds any finding opened or resolved. */
export function hasActivity(trend: Summary['trend']): boolean {
  return trend.some((day) => day.opened > 0 || day.resolved > 0);
}

/** The text of one day in the tooltip: `2025-06-03: 5 opened, 2 resolved`. */
export function dayText(day: Summary['trend'][number]): string {
  return `${day.day}: ${day.opened} opened, ${day.resolved} resolved`;
}

/** 0, a round middle and the top of the y axis. */
function yTicks(max: number): number[] {
  return max <= 1 ? [0, 1] : [...new Set([0, Math.round(max / 2), max])];
}

/**
 * Opened and resolved findings per day of the period: paired bars (stacked for long periods), a y axis of
 * findings per day and an x axis of UTC days, both labelled, and a tooltip with the day's counts under the
 * pointer (or the keyboard's focus: left and right arrows move it).
 */
export function renderTrend(trend: Summary['trend'], container: HTMLElement, period: TrendPeriod = '30d'): void {
  clear(container);
  const opened = trend.reduce((sum, day) => sum + day.opened, 0);
  const resolved = trend.reduce((sum, day) => sum + day.resolved, 0);
  const first = trend[0]?.day ?? '';
  const last = trend[trend.length - 1]?.day ?? '';
  const paired = trend.length <= PAIRED_DAYS;
  const max = Math.max(1, ...trend.map((day) => (paired ? Math.max(day.opened, day.resolved) : day.opened + day.resolved)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = trend.length > 0 ? plotWidth / trend.length : plotWidth;
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const bottom = PAD.top + plotHeight;

  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-labelledby': 'trend-title trend-desc',
    class: 'trend-chart',
    preserveAspectRatio: 'xMidYMid meet',
    'data-period': period,
    'data-days': trend.length,
  });
  const title = svg('title', { id: 'trend-title' });
  title.textContent = `Findings opened and resolved per day, ${first} to ${last}`;
  const desc = svg('desc', { id: 'trend-desc' });
  desc.textContent = `${opened} opened and ${resolved} resolved in ${trend.length} days (${PERIOD_LABELS[period].toLowerCase()}).`;
  chart.append(title, desc);

  for (const tick of yTicks(max)) {
    chart.append(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: 'grid' }));
    const label = svg('text', { x: PAD.left - 6, y: y(tick) + 4, class: 'axis axis-y' });
    label.textContent = String(tick);
    chart.append(label);
  }
  const yTitle = svg('text', {
    x: 0,
    y: 0,
    class: 'axis-title axis-title-y',
    transform: `translate(14 ${PAD.top + plotHeight / 2}) rotate(-90)`,
  });
  yTitle.textContent = 'findings per day';
  const xTitle = svg('text', { x: PAD.left + plotWidth / 2, y: HEIGHT - 4, class: 'axis-title axis-title-x' });
  xTitle.textContent = 'day (UTC)';
  chart.append(yTitle, xTitle);

  const barWidth = paired ? Math.max(1, slot / 2 - 1) : Math.max(0.5, slot - (slot > 3 ? 1 : 0));
  trend.forEach((day, index) => {
    const x = PAD.left + index * slot;
    const bars: Array<[string, number, number, number]> = paired
      ? [
          ['opened', x, y(day.opened), bottom - y(day.opened)],
          ['resolved', x + barWidth + 1, y(day.resolved), bottom - y(day.resolved)],
        ]
      : [
          ['resolved', x, y(day.resolved), bottom - y(day.resolved)],
          ['opened', x, y(day.resolved + day.opened), y(day.resolved) - y(day.resolved + day.opened)],
        ];
    for (const [series, left, top, height] of bars) {
      if (height <= 0 && !paired) continue;
      chart.append(
        svg('rect', { x: left, y: top, width: barWidth, height: Math.max(0, height), class: `bar bar-${series}`, 'data-day': day.day }),
      );
    }
  });
  const ticks = new Set(Array.from({ length: X_TICKS }, (_, i) => Math.round((i * (trend.length - 1)) / (X_TICKS - 1))));
  for (const index of ticks) {
    const day = trend[index];
    if (!day) continue;
    const x = PAD.left + index * slot + slot / 2;
    chart.append(svg('line', { x1: x, x2: x, y1: bottom, y2: bottom + 4, class: 'tick' }));
    // The first and last labels lean inwards, so neither is cut at the chart's edge.
    const edge = index === 0 && trend.length > 1 ? ' axis-x-first' : index === trend.length - 1 && trend.length > 1 ? ' axis-x-last' : '';
    const label = svg('text', { x, y: bottom + 16, class: `axis axis-x${edge}` });
    label.textContent = day.day;
    chart.append(label);
  }
  chart.append(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: bottom, y2: bottom, class: 'baseline' }));
  const cursor = svg('rect', {
    x: 0,
    y: PAD.top,
    width: Math.max(1, slot),
    height: plotHeight,
    class: 'trend-cursor',
    visibility: 'hidden',
  });
  chart.append(cursor);

  const tooltip = el('div', { className: 'trend-tooltip', attrs: { role: 'status', 'data-testid': 'trend-tooltip', hidden: true } });
  const show = (index: number) => {
    const day = trend[index];
    if (!day) return;
    tooltip.textContent = dayText(day);
    tooltip.hidden = false;
    cursor.setAttribute('x', String(PAD.left + index * slot));
    cursor.setAttribute('visibility', 'visible');
    const share = (index + 0.5) / trend.length;
    tooltip.style.left = `${Math.round(share * 100)}%`;
    tooltip.classList.toggle('trend-tooltip-left', share > 0.6);
  };
  const hide = () => {
    tooltip.hidden = true;
    cursor.setAttribute('visibility', 'hidden');
  };
  // The keyboard's day: the most recent at first, moved by the arrows (the pointer shows its own).
  let focused = trend.length - 1;
  chart.addEventListener('pointermove', (event) => {
    const box = chart.getBoundingClientRect();
    if (box.width === 0) return;
    const x = ((event.clientX - box.left) / box.width) * WIDTH;
    const index = Math.floor((x - PAD.left) / slot);
    if (index >= 0 && index < trend.length) show(index);
    else hide();
  });
  chart.addEventListener('pointerleave', hide);
  chart.setAttribute('tabindex', '0');
  chart.addEventListener('focus', () => show(focused));
  chart.addEventListener('blur', hide);
  chart.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
    if (step === 0) return;
    event.preventDefault();
    focused = Math.min(trend.length - 1, Math.max(0, focused + step));
    show(focused);
  });

  const legend = el('ul', { className: 'legend' }, [
    el('li', { className: 'legend-opened' }, [
      el('span', { className: 'swatch swatch-opened', attrs: { 'aria-hidden': 'true' } }),
      `Opened (${opened})`,
    ]),
    el('li', { className: 'legend-resolved' }, [
      el('span', { className: 'swatch swatch-resolved', attrs: { 'aria-hidden': 'true' } }),
      `Resolved (${resolved})`,
    ]),
    el('li', { className: 'legend-range muted', text: `${first} to ${last}` }),
  ]);
  container.append(el('div', { className: 'trend-plot' }, [chart, tooltip]), legend);
  if (opened === 0 && resolved === 0) {
    container.append(el('p', { className: 'trend-empty', text: `No finding opened or resolved between ${first} and ${last}.` }));
  }
}
