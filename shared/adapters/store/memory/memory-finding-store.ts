/** In-memory FindingStore for unit tests and dry runs. */
import type { Finding, HistoryEntry } from '../../../core/findings/finding';
import { applyNotified, applyResolution, applyViolation, type Change, type FindingUpdate } from '../../../core/findings/transitions';
import type { ResolutionObservation, ViolationObservation } from '../../../core/findings/observation';
import type { Exemption, ExemptionAuditEntry } from '../../../core/exemptions/exemption';
import { applyClaim, applyClose, applySent, isRollupDue, rollupIdOf, type RollupClaim, type RollupDecision, type RollupWindow } from '../../../core/notifications/rollup';
import { ConcurrentUpdateError, type FindingPage, type FindingQuery, type FindingStore, type FindingSummary } from '../../../core/findings/finding-store';
import { byAuditOrder, byNewestActivity, countFinding, countTrend, decodeCursor, emptySummary, matchesQuery, pageThrough, softDeleted } from '../../../core/findings/query';

export class MemoryFindingStore implements FindingStore {
  private readonly findings = new Map<string, Finding>();
  private readonly applied = new Set<string>();
  private readonly history = new Map<string, HistoryEntry[]>();
  private readonly exemptions = new Map<string, Exemption>();
  private readonly audit: ExemptionAuditEntry[] = [];
  private readonly rollupWindows = new Map<string, RollupWindow>();
  /** Claim decisions by `findingId \0 kind \0 eventId`, with when they were made. */
  private readonly claims = new Map<string, { decision: RollupDecision; at: string; findingId: string; kind: string }>();

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

  async listFindings(query: FindingQuery = {}): Promise<Finding[]> {
    const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const found = [...this.findings.values()].filter((f) => matchesQuery(f, query, position)).sort(byNewestActivity);
    return structuredClone(query.limit === undefined ? found : found.slice(0, Math.max(0, query.limit)));
  }

  pageFindings(query: FindingQuery): Promise<FindingPage> {
    return pageThrough((q) => this.listFindings(q), query);
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

  async putExemption(exemption: Exemption): Promise<void> {
    const stored = this.exemptions.get(exemption.id);
    if (exemption.version === 1 ? stored !== undefined : stored?.version !== exemption.version - 1) {
      throw new ConcurrentUpdateError(`exemption ${exemption.id}: changed by another writer`);
    }
    this.exemptions.set(exemption.id, structuredClone(exemption));
  }

  async getExemption(id: string): Promise<Exemption | undefined> {
    const exemption = this.exemptions.get(id);
    return exemption && structuredClone(exemption);
  }

  async listExemptions(): Promise<Exemption[]> {
    return structuredClone([...this.exemptions.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1)));
  }

  async deleteExemption(id: string, deletion: { at: string; by: string }): Promise<Exemption | undefined> {
    const stored = this.exemptions.get(id);
    if (!stored) return undefined;
    const deleted = softDeleted(stored, deletion);
    if (deleted) this.exemptions.set(id, deleted);
    return structuredClone(deleted ?? stored);
  }

  async appendAudit(entry: ExemptionAuditEntry): Promise<boolean> {
    if (this.audit.some((e) => e.id === entry.id)) return false;
    this.audit.push(structuredClone(entry));
    return true;
  }

  async listAudit(): Promise<ExemptionAuditEntry[]> {
    return structuredClone([...this.audit].sort(byAuditOrder));
  }

  async claimNotification(claim: RollupClaim, individual: number): Promise<RollupDecision> {
    const key = [claim.item.findingId, claim.kind, claim.item.eventId].join('\u0000');
    const known = this.claims.get(key);
    if (known) return known.decision;
    let previous: RollupWindow | undefined;
    for (let part = 1; ; part += 1) {
      const existing = this.rollupWindows.get(rollupIdOf(claim, part));
      const claimed = applyClaim(existing, claim, individual, part, previous);
      if (!claimed) {
        previous = existing;
        continue;
      }
      this.rollupWindows.set(claimed.window.id, structuredClone(claimed.window));
      this.claims.set(key, { decision: claimed.decision, at: claim.item.at, findingId: claim.item.findingId, kind: claim.kind });
      return claimed.decision;
    }
  }
  async wasRolledUp(findingId: string): Promise<boolean> {
    let latest: { decision: RollupDecision; at: string } | undefined;
    for (const claim of this.claims.values()) {
      if (claim.findingId === findingId && claim.kind === 'opened' && (!latest || claim.at >= latest.at)) latest = claim;
    }
    return latest?.decision === 'held';
  }

  async closeRollupWindows(until: string, at: string): Promise<RollupWindow[]> {
    const due: RollupWindow[] = [];
    for (const window of this.rollupWindows.values()) {
      if (!isRollupDue(window, until)) continue;
      const closed = applyClose(window, at) ?? window;
      this.rollupWindows.set(window.id, closed);
      due.push(structuredClone(closed));
    }
    return due.sort((a, b) => (a.windowEnd < b.windowEnd ? -1 : a.windowEnd > b.windowEnd ? 1 : a.id < b.id ? -1 : 1));
  }

  async markRollupSent(windowId: string, at: string): Promise<void> {
    const window = this.rollupWindows.get(windowId);
    const sent = window && applySent(window, at);
    if (sent) this.rollupWindows.set(windowId, sent);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
