/** In-memory FindingStore for unit tests and dry runs. */
import type { Finding, HistoryEntry } from '../findings/finding';
import { applyNotified, applyResolution, applyViolation, type Change } from '../findings/lifecycle';
import type { ResolutionObservation, ViolationObservation } from '../findings/observation';
import type { FindingQuery, FindingStore } from './finding-store';
import { byNewestActivity, matchesQuery } from './query';

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
      if (
        finding.controlId !== observation.controlId ||
        finding.account !== observation.account ||
        finding.region !== observation.region ||
        finding.resourceId !== observation.resourceId ||
        (observation.qualifier !== undefined && finding.qualifier !== observation.qualifier)
      ) {
        continue;
      }
      const change = applyResolution(finding, observation);
      if (change) changes.push(change);
    }
    for (const change of changes) this.save(change);
    return structuredClone(changes);
  }

  private save(change: Change): void {
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

  async getFinding(id: string): Promise<Finding | undefined> {
    const finding = this.findings.get(id);
    return finding && structuredClone(finding);
  }

  async listFindings(query: FindingQuery = {}): Promise<Finding[]> {
    const found = [...this.findings.values()].filter((f) => matchesQuery(f, query)).sort(byNewestActivity);
    return structuredClone(query.limit === undefined ? found : found.slice(0, query.limit));
  }

  async historyOf(id: string): Promise<HistoryEntry[]> {
    return structuredClone(this.history.get(id) ?? []);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
