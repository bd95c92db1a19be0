/** Starts `trailwarden serve`'s server on 127.0.0.1 and a random port, and speaks HTTP to it. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import type { Application } from '../../shared/app/compose';
import type { EventResult } from '../../shared/app/pipeline/pipeline';
import type { Finding } from '../../shared/core/findings/finding';
import { toEvent } from '../../shared/core/intake/to-event';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import type { Settings } from '../../shared/core/settings/settings';
import { startServer, type RunningServer, type ServeOptions } from '../../shared/shells/cli/serve-command';
import { testApplication } from '../support/application';
import { testClock, type TestClock } from '../support/clock';
import { recordingNotifier, type RecordingNotifier } from '../support/notifier';

export const TOKEN = 'test-token-0123456789abcdef';

/** The security group the security-group sample events name. */
const SAMPLE_GROUP = 'sg-0a1b2c3d4e5f60718';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class ApiClient {
  constructor(readonly running: RunningServer) {}

  get baseUrl(): string {
    return this.running.baseUrl;
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? TOKEN : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = Record<string, unknown>>(path: string, token?: string | null): Promise<Answer<T>> {
    return this.request<T>('GET', path, token === undefined ? {} : { token });
  }
}

/** The server over `options.app` (which the caller keeps and closes), with the test token on a random port. */
export async function serve(options: Omit<ServeOptions, 'token' | 'port'> & { token?: string }): Promise<ApiClient> {
  const running = await startServer({ token: TOKEN, port: 0, ...options });
  return new ApiClient(running);
}

/** A served application over a temporary SQLite file, with a test clock and a recording notifier. */
export interface ServedSqlite {
  /** The temporary directory (the database is `findings.db` in it). */
  readonly dir: string;
  readonly clock: TestClock;
  readonly notifier: RecordingNotifier;
  readonly app: Application;
  /** The server running now (the last one `restart` started). */
  readonly api: ApiClient;
  /** Stops the server and starts a new one over the same application: it sweeps as it starts. */
  restart(): Promise<ApiClient>;
  /** Stops the server, closes the application and removes the directory. */
  close(): Promise<void>;
  /**
   * A sample event file as a new event: a fresh id, a minute before the clock (or `eventTime`), on
   * another security group when `groupId` is given (the samples name sg-0a1b2c3d4e5f60718).
   */
  sampleEvent(file: string, options?: { groupId?: string; eventTime?: string }): EventBridgeEvent;
  /** Runs one event through the application's pipeline and delivers what it owes. */
  process(event: EventBridgeEvent): Promise<EventResult>;
  /** The one finding of the control on the resource (the test fails when there is not exactly one). */
  findingOf(controlId: string, resourceId: string): Promise<Finding>;
}

export interface ServedSqliteOptions {
  /** Names the temporary directory. */
  name: string;
  /** Where the clock starts. */
  start: Date | string;
  /** Recorded as the actor of changes made through the API. */
  actor: string;
  settings?: Partial<Settings>;
}

/**
 * `trailwarden serve` as the exemption and snooze suites drive it: the application over a SQLite file
 * in a fresh temporary directory, its clock the test's, its notifications recorded; the sweeps run
 * when the test says (`api.running.sweepAll()`, or a restart), not on their interval.
 */
export async function serveSqlite(options: ServedSqliteOptions): Promise<ServedSqlite> {
  const dir = mkdtempSync(join(tmpdir(), `trailwarden-${options.name}-`));
  const clock = testClock(options.start);
  const notifier = recordingNotifier();
  const storage = openSqliteStorage(join(dir, 'findings.db'));
  const app = testApplication({ storage, notifier, now: clock.now, ...(options.settings ? { settings: options.settings } : {}) });
  const start = () => serve({ app, actor: options.actor, staticDir: join(dir, 'none'), sweepIntervalMs: 3_600_000 });
  let api: ApiClient;
  try {
    api = await start();
  } catch (error) {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let seq = 0;
  return {
    dir,
    clock,
    notifier,
    app,
    sampleEvent: (file, event = {}) => {
      const text = readFileSync(file, 'utf8').replaceAll(SAMPLE_GROUP, event.groupId ?? SAMPLE_GROUP);
      const record = JSON.parse(text) as Record<string, unknown>;
      record.eventID = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
      record.eventTime = event.eventTime ?? new Date(clock.now().getTime() - 60_000).toISOString();
      const item = toEvent(record, { file, line: 1 });
      if (item.kind !== 'event') throw new Error(item.reason);
      return item.event;
    },
    process: async (event) => {
      const pipeline = app.pipeline();
      const result = await pipeline.process(event);
      await pipeline.flush();
      return result;
    },
    findingOf: async (controlId, resourceId) => {
      const findings = await app.storage.findings.listFindings({ controlId, resourceId });
      expect(findings).toHaveLength(1);
      return findings[0]!;
    },
    get api() {
      return api;
    },
    restart: async () => {
      await api.running.stop();
      api = await start();
      return api;
    },
    close: async () => {
      try {
        await api.running.stop();
        await app.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
