import type { ControlSettings } from '../model/control';
import type { WindowOverride } from '../model/detection';
import type { Severity } from '../model/severity';

/**
 * Days from a finding's first sighting to its remediation deadline, by its severity (shared/app/jobs).
 * A severity left out has no deadline; INFORMATIONAL never has one.
 */
export type RemediationDays = Partial<Record<Exclude<Severity, 'INFORMATIONAL'>, number>>;

/**
 * What differs between organizations. Loaded and validated once by the composition root
 * (the settings-file loader comes with the controls catalogue); controls only read it.
 */
export interface Settings extends ControlSettings {
  /** Ports whose exposure to the internet is CRITICAL rather than HIGH. */
  sensitivePorts: number[];
  /** Accounts (12 digits) that may be trusted in policies, peering and replication, besides the organization's own. */
  trustedAccounts: string[];
  /**
   * IAM role or user ARNs that may put events with non-AWS sources (Falco's `falco*`) on the
   * organization bus; the member accounts' forwarders put AWS events only. Default: none.
   */
  customEventPublishers: string[];
  /** Registry hosts or prefixes images may come from, e.g. "123456789012.dkr.ecr.eu-west-1.amazonaws.com". */
  approvedRegistries: string[];
  /** AMI owner account ids (or aliases such as "amazon") instances may launch from. */
  approvedAmiOwners: string[];
  /** CIDRs that may be opened in security groups without a finding (e.g. the corporate VPN). */
  allowedCidrs: string[];
  /** ECS/EKS cluster names or ARNs that count as production. */
  productionClusters: string[];
  /** S3 buckets whose data access must stay logged. */
  confidentialBuckets: string[];
  /** Minimum CloudWatch Logs retention in days. */
  minLogRetentionDays: number;
  /** Per-control severity overrides. */
  severityOverrides: Record<string, Severity>;
  /** Controls that never run. */
  disabledControls: string[];
  /**
   * Stateful detections' windows and thresholds, per control and window id (`trailwarden controls` lists
   * them): e.g. `{'iam.console-login-failed': {failuresPerUser: {minutes: 30, threshold: 10}}}`. A window
   * left out keeps what its control declares.
   */
  detectionWindows: Record<string, Record<string, WindowOverride>>;
  /**
   * Findings below this severity are recorded (and shown to auditors) but never sent to the
   * notifiers: INFORMATIONAL activity records do not page anyone unless asked to.
   */
  notifyMinSeverity: Severity;
  /**
   * Remediation deadlines of every control but the patch-compliance ones (which follow the
   * host-security rule: HIGH and CRITICAL within 7 days, others within 30): an open finding past
   * its deadline is escalated one severity level and notified again, once.
   */
  remediationDays: RemediationDays;
  /**
   * Base URL of the findings dashboard (or API), e.g. https://trailwarden.example.com: every
   * notification links to `${findingsUrl}/#finding=<id>`. Absent: no link.
   */
  findingsUrl?: string;
  /**
   * Storm control: when more than `individual` findings of one control in one account open (or,
   * for findings that were rolled up, resolve) within one window of `windowMinutes`, the first
   * `individual` are sent one by one and the rest in one roll-up when the window closes.
   */
  notifyBurst: NotifyBurst;
  /**
   * The paging threshold: findings at or above it page; findings below it (INFORMATIONAL records
   * included) are collected into the daily digest.
   */
  pageMinSeverity: Severity;
  /**
   * How far ahead of the clock, in minutes, an event's time (a record's eventTime, an envelope's
   * time) may be before intake refuses the event: clocks drift, but not by days, and a time in
   * year 9999 would sort first forever. Default 1440 (1 day).
   */
  maxEventAheadMinutes: number;
  /**
   * Lambda reserved concurrency of the stack's functions (package time only: the functions never
   * read it). See `ReservedConcurrency`.
   */
  reservedConcurrency: ReservedConcurrency;
  /**
   * Put every finding transition the notifiers get (opened, reopened, escalated, resolved, roll-ups)
   * on the stack's organization event bus as a `trailwarden Finding` event, for EventBridge rules to
   * route (shared/adapters/notify/eventbridge-notifier.ts). Default false: no events, and the
   * functions get no events:PutEvents permission.
   */
  publishFindingEvents: boolean;
  /** The backfill state machine's distributed map (package time only). See `Backfill`. */
  backfill: Backfill;
}

/**
 * See `Settings.backfill`: how the backfill of CloudTrail history (shared/infra/backfill.ts) runs.
 * `maxConcurrency` is also the backfill function's reserved concurrency, so a backfill never takes
 * the area functions' share; `toleratedFailurePercentage` of batches may fail (after their retries)
 * before the map run fails; `maxItemsPerBatch` objects go to one invocation.
 */
export interface Backfill {
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  maxItemsPerBatch: number;
}

/**
 * See `Settings.reservedConcurrency`. Reserved concurrency is both a floor and a cap: the api and
 * maintenance functions always have theirs, and no area function can take more than `area` of
 * the account's concurrency. The sum is reserved out of `accountLimit` (the account's concurrent
 * executions quota in the Region), of which Lambda keeps at least 100 unreserved.
 */
export interface ReservedConcurrency {
  /** The findings API. */
  api: number;
  /** The maintenance sweep (a minute, an hourly and a daily schedule may start together). */
  maintenance: number;
  /** Each area function. */
  area: number;
  /** The account's concurrent executions quota in the Region (Lambda's default: 1,000). */
  accountLimit: number;
}

/** See `Settings.notifyBurst`. */
export interface NotifyBurst {
  /** Notifications sent one by one per control, account and window before the rest are held. */
  individual: number;
  /** The window's length in minutes (windows are fixed slots of the clock, e.g. :00, :15, :30, :45). */
  windowMinutes: number;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  // SSH, RDP, databases, caches, search, container and orchestration APIs, remote admin.
  sensitivePorts: [
    20, 21, 22, 23, 25, 110, 135, 139, 143, 445, 1433, 1521, 2375, 2376, 2379, 2380, 3306, 3389, 4333, 5432, 5500, 5601, 5900, 6379, 6443,
    8080, 8888, 9042, 9200, 9300, 10250, 11211, 27017, 27018,
  ],
  trustedAccounts: [],
  customEventPublishers: [],
  approvedRegistries: [],
  approvedAmiOwners: ['amazon'],
  allowedCidrs: [],
  productionClusters: [],
  confidentialBuckets: [],
  minLogRetentionDays: 365,
  severityOverrides: {},
  disabledControls: [],
  detectionWindows: {},
  notifyMinSeverity: 'LOW',
  remediationDays: Object.freeze({ CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 }),
  notifyBurst: Object.freeze({ individual: 5, windowMinutes: 15 }),
  pageMinSeverity: 'HIGH',
  maxEventAheadMinutes: 1440,
  // 7 areas × 20 + 10 + 3 = 153 of the default 1,000, leaving 847 to the account's other functions
  // (shared/infra/concurrency.ts says why).
  reservedConcurrency: Object.freeze({ api: 10, maintenance: 3, area: 20, accountLimit: 1000 }),
  publishFindingEvents: false,
  backfill: Object.freeze({ maxConcurrency: 10, toleratedFailurePercentage: 5, maxItemsPerBatch: 20 }),
});
