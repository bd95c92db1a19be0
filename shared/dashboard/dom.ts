/**
 * Building DOM without markup strings: text always goes in through textContent, so nothing the
 * API returns can become HTML. Nothing here sets innerHTML.
 */
type Child = Node | string | number | false | null | undefined;

export interface ElementOptions {
  className?: string;
  text?: string | number;
  attrs?: Record<string, string | number | boolean | undefined>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: Child[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = String(options.text);
  setAttributes(element, options.attrs);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  children: Child[] = [],
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attrs);
  append(element, children);
  return element;
}

function setAttributes(element: Element, attrs: Record<string, string | number | boolean | undefined> | undefined): void {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(element: Element): void {
  element.replaceChildren();
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`dashboard markup lacks #${id}`);
  return element as T;
}

/** `2025-03-13T08:12:45Z` → `2025-03-13 08:12 UTC`; anything unparsable is shown as given. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A `<time>` element for an ISO time. */
export function timeEl(iso: string | undefined): HTMLElement {
  if (!iso) return el('span', { text: '—' });
  return el('time', { text: formatTime(iso), attrs: { datetime: iso } });
}

/** A definition list from label/value pairs; undefined values are left out. */
export function definitionList(rows: Array<[string, Child | undefined]>, className = 'facts'): HTMLDListElement {
  const list = el('dl', { className });
  for (const [label, value] of rows) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    list.append(el('dt', { text: label }), el('dd', {}, [value]));
  }
  return list;
}

export function badge(kind: 'severity' | 'status' | 'state' | 'verdict', value: string): HTMLElement {
  return el('span', { className: `badge ${kind}-${value.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, text: value });
}
