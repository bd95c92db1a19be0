import type { Area } from './area';
import type { DetectionWindow, SignalKind, WindowOverride } from './detection';
import type { CloudTrailRecord, EventBridgeEvent } from './event';
import type { FrameworkRef } from './framework';
import type { Severity } from './severity';

/** An EventBridge event pattern, as JSON (see shared/core/matching). */
export type EventPattern = { [key: string]: unknown };

/**
 * The organization's settings evaluation reads: what controls judge events against, and the two
 * the engine applies to every control. Settings (core/settings) extends it with what delivery and
 * notification read; controls never see those.
 */
export interface ControlSettings {
  /** Ports whose exposure to the internet is CRITICAL rather than HIGH. */
  sensitivePorts: readonly number[];
  /** Accounts (12 digits) that may be trusted in policies, peering and replication, besides the organization's own. */
  trustedAccounts: readonly string[];
  /** Registry hosts or prefixes images may come from, e.g. "123456789012.dkr.ecr.eu-west-1.amazonaws.com". */
  approvedRegistries: readonly string[];
  /** CIDRs that may be opened in security groups without a finding (e.g. the corporate VPN). */
  allowedCidrs: readonly string[];
  /** ECS/EKS cluster names or ARNs that count as production. */
  productionClusters: readonly string[];
  /** S3 buckets whose data access must stay logged. */
  confidentialBuckets: readonly string[];
  /** Minimum CloudWatch Logs retention in days. */
  minLogRetentionDays: number;
  /** Per-control severity overrides (applied by the engine, core/evaluation). */
  severityOverrides: Readonly<Record<string, Severity>>;
  /** Controls that never run (skipped by the engine, core/evaluation). */
  disabledControls: readonly string[];
  /**
   * Per-control overrides of stateful detections' windows: control id → window id → minutes and/or
   * threshold (applied by the engine, core/evaluation).
   */
  detectionWindows: Readonly<Record<string, Readonly<Record<string, WindowOverride>>>>;
}

/** What a control's evaluation may read besides the event: the organization's control settings. No I/O. */
export interface EvaluationContext {
  settings: ControlSettings;
}

/** One violation a control found in one event. */
export interface Violation {
  /** The AWS resource at fault: an id or ARN as the event names it (sg-0abc…, arn:aws:s3:::bucket). */
  resourceId: string;
  /** CloudFormation-style type name, e.g. AWS::EC2::SecurityGroup. */
  resourceType: string;
  /**
   * Distinguishes several violations of one control on one resource (e.g. "tcp/22 from 0.0.0.0/0"
   * on one security group). Part of the finding id; omit when the resource itself is the subject.
   */
  qualifier?: string;
  /** One sentence for a person: what is wrong, where. */
  message: string;
  /** The request fields that show the violation. Secret-looking values are masked by the engine. */
  evidence: Record<string, unknown>;
  /** Overrides the control's default severity for this violation (e.g. sensitive port → CRITICAL). */
  severity?: Severity;
}

/** An event that fixes an earlier violation of the same control on the same resource. */
export interface Resolution {
  resourceId: string;
  /** When set, only the finding with this qualifier resolves; otherwise every finding of the control on the resource. */
  qualifier?: string;
  message: string;
}

export interface Control {
  /** Stable id, `<area>.<slug>`, e.g. `network.security-group-open-to-internet`. */
  id: string;
  area: Area;
  title: string;
  /** Default severity; a violation may raise or lower it. */
  severity: Severity;
  /** Why it matters, one or two sentences. */
  rationale: string;
  /** Concrete remediation steps, console and CLI. */
  runbook: string[];
  frameworks: FrameworkRef[];
  /**
   * MITRE ATT&CK (Enterprise) techniques the control detects, by id (`T1098.001`), where the mapping
   * is real: the violation is a step of the technique, not merely related to it.
   */
  attack?: AttackTechniqueId[];
  /** The events this control evaluates, as EventBridge patterns (any one matching suffices). */
  patterns: EventPattern[];
  /**
   * Pure: no I/O, no clock, no randomness. Returns [] when the event is compliant. Absent for a
   * stateful control whose single events are only counted (see `detection`).
   */
  evaluate?(event: EventBridgeEvent, context: EvaluationContext): Violation[];
  /** A stateful detection: windows and thresholds, and the pure signals one event gives (model/detection.ts). */
  detection?: Detection;
  /** The events that fix a violation, when such events exist. */
  resolution?: {
    /** e.g. "RevokeSecurityGroupIngress removing the open rule". */
    description: string;
    patterns: EventPattern[];
    resolve(event: EventBridgeEvent, context: EvaluationContext): Resolution[];
  };
}

/** A MITRE ATT&CK technique or sub-technique id: `T` and four digits, optionally `.` and three. */
export type AttackTechniqueId = `T${number}` | `T${number}.${number}`;

/** Narrows an event to one carrying a CloudTrail record; controls whose patterns select CloudTrail events use it. */
export type CloudTrailEvent = EventBridgeEvent<CloudTrailRecord>;

/** One event's contribution to a window of a stateful detection, as `Detection.detect` returns it. */
export interface DetectionSignal {
  kind: SignalKind;
  /** The id of the window (a key of `Detection.windows`). */
  window: string;
  /**
   * What the window is kept for: a principal, a source address, an account, a resource, e.g.
   * `user/111122223333/alice`. The state is per control, window and key.
   */
  key: string;
  /** `distinct`: the value counted; `first-seen`: the member; `step`: a value compared by `distinctEnds`. */
  value?: string;
  /** `step`: which step of the window's sequence this event is. */
  step?: string;
  /**
   * The finding this signal raises when the state says so (its finding id is stable per key); absent: counted
   * only. A function: made only when the window raises it, which most signals' windows never do.
   */
  raises?: () => Violation;
}

/** A stateful detection (model/detection.ts): one event is counted, a burst, a new member or a whole sequence is a finding. */
export interface Detection {
  /** The windows, by id; settings.detectionWindows overrides their minutes and thresholds. */
  windows: Readonly<Record<string, DetectionWindow>>;
  /** Pure: the signals one event gives. No I/O, no clock, and no state: the pipeline applies them in order. */
  detect(event: EventBridgeEvent, context: EvaluationContext): DetectionSignal[];
}
