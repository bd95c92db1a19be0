/**
 * The exemptions the pipeline consults for each violation, read from the store at most once per
 * `maxAgeMs` (default one minute): a Lambda reads the small exemptions partition once a minute,
 * not once per event. An exemption created meanwhile suppresses the existing findings at once
 * (the API does it) and new ones from the next read on; the sweep suppresses anything in between.
 */
import type { Finding, SuppressedBy } from '../../core/findings/finding';
import { activeExemptionFor, type Exemption } from '../../core/exemptions/exemption';

export interface ExemptionSource {
  /** The active exemption covering a finding with these keys, if any. */
  coveringExemption(finding: Pick<Finding, 'controlId' | 'account' | 'resourceId'>): Promise<SuppressedBy | undefined>;
}

export class CachedExemptions implements ExemptionSource {
  private cached: { exemptions: Exemption[]; readAt: number } | undefined;
  private reading: Promise<Exemption[]> | undefined;

  constructor(
    private readonly read: () => Promise<Exemption[]>,
    private readonly now: () => Date,
    private readonly maxAgeMs = 60_000,
  ) {}

  async coveringExemption(finding: Pick<Finding, 'controlId' | 'account' | 'resourceId'>): Promise<SuppressedBy | undefined> {
    const now = this.now();
    const exemption = activeExemptionFor(await this.exemptions(now), finding, now);
    return exemption && { exemptionId: exemption.id, expiresAt: exemption.expiresAt };
  }

  /** Forgets what was read, so the next lookup reads again (after an exemption changed here). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async exemptions(now: Date): Promise<Exemption[]> {
    if (this.cached && now.getTime() - this.cached.readAt < this.maxAgeMs) return this.cached.exemptions;
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    const exemptions = await this.reading;
    this.cached = { exemptions, readAt: now.getTime() };
    return exemptions;
  }
}
