/**
 * A control's metadata as data, defined once for every reader: the API and the dashboard
 * (`ControlSummary`), notifications and roll-up windows (the same summary), and the catalogue's
 * export (`ControlDescription`, patterns included: `trailwarden controls --format json`).
 */
import type { Control, EventPattern } from './control';
import type { FrameworkId } from './framework';

/** What a person reads about a control: everything but its patterns and functions. */
export interface ControlSummary {
  id: Control['id'];
  area: Control['area'];
  title: string;
  severity: Control['severity'];
  rationale: string;
  runbook: string[];
  frameworks: Control['frameworks'];
  /** MITRE ATT&CK technique ids the control detects (`T1098.001`); absent when none maps. */
  attack?: Control['attack'];
  /** What resolves its findings, when something does (`resolution.description`). */
  resolves?: string;
}

/** Everything a control declares, as data: the summary's fields and its patterns. */
export interface ControlDescription extends Omit<ControlSummary, 'resolves'> {
  patterns: EventPattern[];
  resolution?: { description: string; patterns: EventPattern[] };
}

/** The summary of a control, or of a summary already taken (a roll-up window keeps one). */
export function controlSummaryOf(control: Control | ControlSummary): ControlSummary {
  const resolves = 'patterns' in control ? control.resolution?.description : control.resolves;
  return {
    id: control.id,
    area: control.area,
    title: control.title,
    severity: control.severity,
    rationale: control.rationale,
    runbook: control.runbook,
    frameworks: control.frameworks,
    ...(control.attack && control.attack.length > 0 ? { attack: control.attack } : {}),
    ...(resolves !== undefined ? { resolves } : {}),
  };
}

export function controlDescriptionOf(control: Control): ControlDescription {
  const { resolves: _resolves, ...summary } = controlSummaryOf(control);
  return {
    ...summary,
    patterns: control.patterns,
    ...(control.resolution ? { resolution: { description: control.resolution.description, patterns: control.resolution.patterns } } : {}),
  };
}

/** The shape of a MITRE ATT&CK technique or sub-technique id. */
export const ATTACK_TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/** The ATT&CK page of a technique id: `T1098.001` → https://attack.mitre.org/techniques/T1098/001/. */
export function attackTechniqueUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
}

/** The control ids a framework (and optionally one of its requirements) maps to. */
export function controlsOfFramework(controls: readonly Control[], framework: FrameworkId, requirement?: string): string[] {
  return controls
    .filter((c) => c.frameworks.some((f) => f.framework === framework && (requirement === undefined || f.requirement === requirement)))
    .map((c) => c.id);
}
