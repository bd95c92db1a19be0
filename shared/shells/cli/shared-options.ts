/**
 * The options and environment variables several commands share, each defined once and spread into the
 * options of every command that takes it: `--db`, `--config`, `--notify`, `--json`, `--fail-on`.
 */
import { SEVERITIES, type Severity, isSeverity } from '../../core/model/severity';
import type { EnvironmentSpec } from './command-line';
import { UsageError } from './compose';

export const DB_OPTION = {
  db: {
    type: 'string',
    value: 'FILE',
    description: 'the findings database (SQLite; :memory: keeps nothing); default $TRAILWARDEN_DB, else ./trailwarden.db',
  },
} as const;

export const CONFIG_OPTION = {
  config: {
    type: 'string',
    value: 'FILE',
    description: 'the settings file (YAML or JSON); default $TRAILWARDEN_CONFIG, else the built-in defaults',
  },
} as const;

export const NOTIFY_OPTION = {
  notify: {
    type: 'string',
    multiple: true,
    value: 'SINK',
    description: 'send notifications to SINK: console (stderr), jsonl:PATH or webhook:URL; repeat for several sinks',
  },
} as const;

export const JSON_OPTION = {
  json: { type: 'boolean', description: 'print the result as one JSON object instead of text (no progress drawn)' },
} as const;

export const FAIL_ON_OPTION = {
  'fail-on': {
    type: 'string',
    value: 'SEVERITY',
    description: `exit 3 when a finding at or above SEVERITY (${SEVERITIES.join(', ')}) opened or was found: a CI gate`,
  },
} as const;

/** A severity named on the command line (`high` or `HIGH`), or a usage error naming the flag. */
export function severityOf(flag: string, value: string): Severity {
  const upper = value.toUpperCase();
  if (!isSeverity(upper)) throw new UsageError(`${flag} ${value}: expected one of ${SEVERITIES.join(', ')}`);
  return upper;
}

export const DB_ENV: EnvironmentSpec = { name: 'TRAILWARDEN_DB', description: 'the findings database when --db is not given' };
export const CONFIG_ENV: EnvironmentSpec = { name: 'TRAILWARDEN_CONFIG', description: 'the settings file when --config is not given' };
export const LOCK_TIMEOUT_ENV: EnvironmentSpec = {
  name: 'TRAILWARDEN_LOCK_TIMEOUT',
  description: "seconds a write waits for another process's (default 60); past it: exit 75",
};
export const AWS_ENV: EnvironmentSpec = {
  name: 'AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID, …',
  description: "the AWS SDK's default credential and region chain",
};
export const TABLE_ENV: readonly EnvironmentSpec[] = [
  { name: 'COLUMNS', description: 'the width tables fit when standard output is not a terminal' },
  { name: 'NO_COLOR, FORCE_COLOR', description: 'no colours at all; colours even when standard output is not a terminal' },
];
export const DEBUG_ENV: EnvironmentSpec = { name: 'TRAILWARDEN_DEBUG', description: 'set: print the stack trace of an unexpected error' };
