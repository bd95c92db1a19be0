/**
 * Validates settings as parsed (from a file, or the JSON a Lambda function receives): an unknown key
 * or a wrong type is an issue naming the key path, and every issue is reported at once.
 */
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { SEVERITIES, isSeverity } from '../model/severity';
import { parseCidr } from '../kernel/cidr';

export interface SettingsIssue {
  /** Key path, e.g. `sensitivePorts[2]` or `severityOverrides.network.foo`. */
  path: string;
  line?: number;
  message: string;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(
    readonly file: string,
    readonly issues: SettingsIssue[],
  ) {
    super(`${file}: invalid settings\n${issues.map((i) => `  ${file}${i.line ? `:${i.line}` : ''}: ${i.path}: ${i.message}`).join('\n')}`);
  }
}

export type Path = Array<string | number>;

/** The longest remediation deadline `remediationDays` accepts (ten years). */
export const MAX_REMEDIATION_DAYS = 3650;

/** The longest detection window `detectionWindows` accepts (90 days, in minutes). */
export const MAX_DETECTION_WINDOW_MINUTES = 129_600;

/** The largest threshold `detectionWindows` accepts (the state keeps twice as many entries). */
export const MAX_DETECTION_THRESHOLD = 100;

/** The largest `maxEventAheadMinutes` accepted (30 days): beyond it, the bound would no longer catch a clock gone wrong. */
export const MAX_EVENT_AHEAD_MINUTES = 43_200;

export function pathText(path: Path): string {
  return path.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : text ? `${text}.${step}` : step), '');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

type Check = (value: unknown, path: Path, issues: Array<{ path: Path; message: string }>) => void;

function listOf(item: (value: unknown) => string | undefined): Check {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `expected a list, got ${describe(value)}` });
      return;
    }
    value.forEach((entry, i) => {
      const problem = item(entry);
      if (problem) issues.push({ path: [...path, i], message: `${problem}, got ${describe(entry)}` });
    });
  };
}

const nonEmptyString = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'expected a non-empty string');
const accountId = (v: unknown) =>
  typeof v === 'string' && /^\d{12}$/.test(v) ? undefined : 'expected a 12-digit AWS account id as a string (quote it in YAML)';
/** An IAM role or user ARN (paths allowed, no wildcards): what the organization bus policy names with ArnEquals. */
const iamPrincipalArn = (v: unknown) =>
  typeof v === 'string' && /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/.test(v)
    ? undefined
    : 'expected an IAM role or user ARN such as arn:aws:iam::111122223333:role/falcosidekick';
const port = (v: unknown) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535 ? undefined : 'expected a port number from 0 to 65535';
const cidr = (v: unknown) => (parseCidr(v) ? undefined : 'expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8');
const amiOwner = (v: unknown) =>
  typeof v === 'string' && (/^\d{12}$/.test(v) || ['amazon', 'aws-marketplace', 'self'].includes(v))
    ? undefined
    : 'expected an account id (as a string) or one of amazon, aws-marketplace, self';

/** An absolute http(s) URL without query or fragment (the link appends `/#finding=<id>`). */
function findingsUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'expected an http(s) URL such as https://trailwarden.example.com';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'expected an http(s) URL such as https://trailwarden.example.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'expected an http(s) URL such as https://trailwarden.example.com';
  if (url.search || url.hash || value.includes('#')) return 'expected a base URL without query or fragment';
  if (url.username || url.password) return 'expected a URL without credentials';
  return undefined;
}

/**
 * `detectionWindows`: the windows each stateful control declares, by control id, when the caller knows
 * them (`detectionWindowsOf(catalogue)`); without it, window ids are checked for shape only.
 */
export function validateSettings(
  raw: unknown,
  knownControlIds: ReadonlySet<string>,
  detectionWindows?: ReadonlyMap<string, readonly string[]>,
): { settings?: Settings; issues: Array<{ path: Path; message: string }> } {
  const issues: Array<{ path: Path; message: string }> = [];
  if (raw === null || raw === undefined) return { settings: { ...DEFAULT_SETTINGS }, issues };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ path: [], message: `expected a mapping of settings, got ${describe(raw)}` });
    return { issues };
  }
  const knownControl = (v: unknown) =>
    typeof v === 'string' && knownControlIds.has(v) ? undefined : 'expected the id of a control (see `trailwarden controls`)';
  const checks: Record<keyof Settings, Check> = {
    sensitivePorts: listOf(port),
    trustedAccounts: listOf(accountId),
    customEventPublishers: listOf(iamPrincipalArn),
    approvedRegistries: listOf(nonEmptyString),
    approvedAmiOwners: listOf(amiOwner),
    allowedCidrs: listOf(cidr),
    productionClusters: listOf(nonEmptyString),
    confidentialBuckets: listOf(nonEmptyString),
    minLogRetentionDays: (value, path, found) => {
      if (!Number.isInteger(value) || (value as number) < 1)
        found.push({ path, message: `expected a whole number of days (1 or more), got ${describe(value)}` });
    },
    severityOverrides: (value, path, found) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        found.push({ path, message: `expected a mapping of control id to severity, got ${describe(value)}` });
        return;
      }
      for (const [id, severity] of Object.entries(value)) {
        if (!knownControlIds.has(id)) found.push({ path: [...path, id], message: 'not the id of a control (see `trailwarden controls`)' });
        else if (!isSeverity(severity))
          found.push({ path: [...path, id], message: `expected one of ${SEVERITIES.join(', ')}, got ${describe(severity)}` });
      }
    },
    disabledControls: listOf(knownControl),
    detectionWindows: (value, path, found) => {
      const mapping = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
      if (!mapping(value)) {
        found.push({ path, message: `expected a mapping of control id to windows, got ${describe(value)}` });
        return;
      }
      const limits = { minutes: [1, MAX_DETECTION_WINDOW_MINUTES], threshold: [1, MAX_DETECTION_THRESHOLD] } as const;
      for (const [id, windows] of Object.entries(value as object)) {
        const declared = detectionWindows?.get(id);
        if (!knownControlIds.has(id) || (detectionWindows && !declared)) {
          found.push({ path: [...path, id], message: 'not the id of a stateful control (see `trailwarden controls`)' });
          continue;
        }
        if (!mapping(windows)) {
          found.push({ path: [...path, id], message: `expected a mapping of window id to {minutes, threshold}, got ${describe(windows)}` });
          continue;
        }
        for (const [window, numbers] of Object.entries(windows as object)) {
          if (declared ? !declared.includes(window) : !/^[a-z][A-Za-z]*$/.test(window)) {
            found.push({
              path: [...path, id, window],
              message: `not a window of this control${declared ? ` (known: ${declared.join(', ')})` : ''}`,
            });
            continue;
          }
          if (!mapping(numbers)) {
            found.push({
              path: [...path, id, window],
              message: `expected a mapping with minutes and/or threshold, got ${describe(numbers)}`,
            });
            continue;
          }
          for (const [key, entry] of Object.entries(numbers as object)) {
            const range = limits[key as keyof typeof limits];
            if (!range) found.push({ path: [...path, id, window, key], message: 'unknown setting (known: minutes, threshold)' });
            else if (!Number.isInteger(entry) || (entry as number) < range[0] || (entry as number) > range[1])
              found.push({
                path: [...path, id, window, key],
                message: `expected a whole number from ${range[0]} to ${range[1]}, got ${describe(entry)}`,
              });
          }
        }
      }
    },
    notifyMinSeverity: (value, path, found) => {
      if (!isSeverity(value)) found.push({ path, message: `expected one of ${SEVERITIES.join(', ')}, got ${describe(value)}` });
    },
    remediationDays: (value, path, found) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        found.push({ path, message: `expected a mapping of severity to days, e.g. {CRITICAL: 7, HIGH: 30}, got ${describe(value)}` });
        return;
      }
      for (const [severity, days] of Object.entries(value)) {
        if (severity === 'INFORMATIONAL')
          found.push({ path: [...path, severity], message: 'INFORMATIONAL findings have no remediation deadline (leave it out)' });
        else if (!isSeverity(severity)) found.push({ path: [...path, severity], message: 'expected one of CRITICAL, HIGH, MEDIUM, LOW' });
        else if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > MAX_REMEDIATION_DAYS) {
          found.push({
            path: [...path, severity],
            message: `expected a whole number of days from 1 to ${MAX_REMEDIATION_DAYS}, got ${describe(days)}`,
          });
        }
      }
    },
    findingsUrl: (value, path, found) => {
      const problem = findingsUrlProblem(value);
      if (problem) found.push({ path, message: `${problem}, got ${describe(value)}` });
    },
    notifyBurst: (value, path, found) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        found.push({ path, message: `expected a mapping with individual and windowMinutes, got ${describe(value)}` });
        return;
      }
      const limits = { individual: [0, 1000], windowMinutes: [1, 1440] } as const;
      for (const [key, entry] of Object.entries(value)) {
        const range = limits[key as keyof typeof limits];
        if (!range) found.push({ path: [...path, key], message: 'unknown setting (known: individual, windowMinutes)' });
        else if (!Number.isInteger(entry) || (entry as number) < range[0] || (entry as number) > range[1]) {
          found.push({ path: [...path, key], message: `expected a whole number from ${range[0]} to ${range[1]}, got ${describe(entry)}` });
        }
      }
    },
    pageMinSeverity: (value, path, found) => {
      if (!isSeverity(value)) found.push({ path, message: `expected one of ${SEVERITIES.join(', ')}, got ${describe(value)}` });
    },
    maxEventAheadMinutes: (value, path, found) => {
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_EVENT_AHEAD_MINUTES) {
        found.push({ path, message: `expected a whole number of minutes from 1 to ${MAX_EVENT_AHEAD_MINUTES}, got ${describe(value)}` });
      }
    },
    publishFindingEvents: (value, path, found) => {
      if (typeof value !== 'boolean') found.push({ path, message: `expected true or false, got ${describe(value)}` });
    },
    reservedConcurrency: (value, path, found) => {
      const keys = Object.keys(DEFAULT_SETTINGS.reservedConcurrency);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        found.push({ path, message: `expected a mapping with ${keys.join(', ')}, got ${describe(value)}` });
        return;
      }
      for (const [key, entry] of Object.entries(value)) {
        if (!keys.includes(key)) found.push({ path: [...path, key], message: `unknown setting (known: ${keys.join(', ')})` });
        else if (!Number.isInteger(entry) || (entry as number) < 1)
          found.push({
            path: [...path, key],
            message: `expected a whole number of concurrent executions (1 or more), got ${describe(entry)}`,
          });
      }
    },
    backfill: (value, path, found) => {
      // MaxConcurrency: at most 10,000 child executions run at once (Step Functions' distributed map).
      const limits = { maxConcurrency: [1, 10_000], toleratedFailurePercentage: [0, 100], maxItemsPerBatch: [1, 1000] } as const;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        found.push({ path, message: `expected a mapping with ${Object.keys(limits).join(', ')}, got ${describe(value)}` });
        return;
      }
      for (const [key, entry] of Object.entries(value)) {
        const range = limits[key as keyof typeof limits];
        if (!range) found.push({ path: [...path, key], message: `unknown setting (known: ${Object.keys(limits).join(', ')})` });
        else if (!Number.isInteger(entry) || (entry as number) < range[0] || (entry as number) > range[1]) {
          found.push({ path: [...path, key], message: `expected a whole number from ${range[0]} to ${range[1]}, got ${describe(entry)}` });
        }
      }
    },
  };
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const check = checks[key as keyof Settings];
    if (!check) {
      issues.push({ path: [key], message: `unknown setting (known: ${Object.keys(checks).join(', ')})` });
      continue;
    }
    const before = issues.length;
    check(value, [key], issues);
    if (issues.length === before)
      (settings as unknown as Record<string, unknown>)[key] =
        key === 'notifyBurst' || key === 'reservedConcurrency' || key === 'backfill'
          ? { ...DEFAULT_SETTINGS[key], ...(value as object) }
          : value;
  }
  return issues.length > 0 ? { issues } : { settings, issues };
}
