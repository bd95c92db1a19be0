/** In-memory FindingStore, for unit tests and dry runs (`--db :memory:`). */
import { byNewestActivity, type Finding, type HistoryEntry } from '../../../core/findings/finding';
import { inScope, type FindingStore, type ResolutionScope } from '../../../core/findings/finding-store';
import type { FindingQuery, FindingSummary } from '../../../core/findings/finding-query';
import type { ResolutionObservation, ViolationObservation } from '../../../core/findings/observation';
import { countFinding, countTrend, decodeCursor, emptySummary, matchesQuery } from '../../../core/findings/query';
import { applyNotified, applyResolution, applyViolation, type Change, type FindingUpdate } from '../../../core/findings/transitions';

export class MemoryFindingStore implements FindingStore {
  private readonly findings = new Map<string, Finding>();
  private readonly applied = new Set<string>();
  private readonly history = new Map<string, HistoryEntry[]>();

  async recordViolation(observation: ViolationObservation): Promise<Change | undefined> {
    const appliedKey = `${observation.findingId}\u0000${observation.eventId}`;
    if (this.applied.has(appliedKey)) return undefined;
    const change = applyViolation(this.findings.get(observation.findingId), observation);
    this.applied.add(appliedKey);
    this.save(change);
    return structuredClone(change);
  }

  async recordResolution(observation: ResolutionObservation): Promise<Change[]> {
    const changes: Change[] = [];
    for (const finding of this.findings.values()) {
      if (!inScope(finding, observation)) continue;
      const change = applyResolution(finding, observation);
      if (change) changes.push(change);
    }
    for (const change of changes) this.save(change);
    return structuredClone(changes);
  }

  private save(change: FindingUpdate): void {
    this.findings.set(change.finding.id, structuredClone(change.finding));
    if (change.history) {
      const entries = this.history.get(change.finding.id) ?? [];
      entries.push(structuredClone(change.history));
      this.history.set(change.finding.id, entries);
    }
  }

  async markNotified(findingId: string, eventId: string): Promise<void> {
    const updated = applyNotified(this.findings.get(findingId), eventId);
    if (updated) this.findings.set(findingId, updated);
  }

  async updateFinding(id: string, apply: (finding: Finding) => FindingUpdate | undefined): Promise<FindingUpdate | undefined> {
    const existing = this.findings.get(id);
    if (!existing) return undefined;
    const update = apply(structuredClone(existing));
    if (!update) return undefined;
    this.save(update);
    return structuredClone(update);
  }

  async getFinding(id: string): Promise<Finding | undefined> {
    const finding = this.findings.get(id);
    return finding && structuredClone(finding);
  }

  async findingsInScope(scope: ResolutionScope): Promise<Finding[]> {
    return structuredClone([...this.findings.values()].filter((finding) => inScope(finding, scope)));
  }

  async listFindings(query: FindingQuery = {}): Promise<Finding[]> {
    const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const found = [...this.findings.values()].filter((f) => matchesQuery(f, query, position)).sort(byNewestActivity);
    return structuredClone(query.limit === undefined ? found : found.slice(0, Math.max(0, query.limit)));
  }

  async summarize(options: { now: Date; days: number }): Promise<FindingSummary> {
    const summary = emptySummary(options.now, options.days);
    for (const finding of this.findings.values()) countFinding(summary, finding);
    for (const entries of this.history.values()) for (const entry of entries) countTrend(summary, entry.at.slice(0, 10), entry.transition);
    return summary;
  }

  async historyOf(id: string): Promise<HistoryEntry[]> {
    return structuredClone(this.history.get(id) ?? []);
  }
}
