/**
 * The Lambda shell of an area over the real core (router, controls, pipeline, memory store):
 * validation, idempotency on redelivery, failures that make Lambda retry, and notifications that
 * survive a failed attempt. The DynamoDB and SNS adapters have their own tests against dynalite and
 * fauxqs; here the storage is the in-memory adapter and the notifier a recording one that can fail.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { networkControls } from '../../shared/core/controls/network';
import { memoryStorage } from '../../shared/adapters/store/memory';
import type { Storage } from '../../shared/app/storage';
import { wrapCloudTrailRecord } from '../../shared/core/intake/envelope';
import { areaEventHandler, areaHandler } from '../../shared/adapters/lambda/area-handler';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';
import { recordingNotifier, type RecordingNotifier } from '../support/notifier';

const SAMPLES = resolve(__dirname, '../../events/network/security-group-open-to-internet');
const sshOpen = wrapCloudTrailRecord(JSON.parse(readFileSync(`${SAMPLES}/1-violating-ssh-ipv4.json`, 'utf8')));
const sshRevoked = wrapCloudTrailRecord(JSON.parse(readFileSync(`${SAMPLES}/3-resolving-revoke-ssh.json`, 'utf8')));

interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

/** The area function's clock: fixed, after the samples' times. */
const NOW = '2026-03-01T10:07:00Z';

/** The pipeline an area function runs: the network controls, on a fixed clock. */
function networkPipeline(storage: Storage, notifier: RecordingNotifier) {
  return testApplication({ storage, notifier, now: testClock(NOW).now, catalogue: networkControls }).pipeline();
}

function setup() {
  const storage = memoryStorage();
  const store = storage.findings;
  const notifier = recordingNotifier();
  const logs: LogLine[] = [];
  const logger = {
    info: (message: string, extra: Record<string, unknown>) => logs.push({ level: 'INFO', message, ...extra }),
    error: (message: string, extra: Record<string, unknown>) => logs.push({ level: 'ERROR', message, ...extra }),
  } as unknown as Logger;
  const pipeline = networkPipeline(storage, notifier);
  const handle = areaEventHandler({ area: 'network', logger, pipeline: () => pipeline, intake: () => ({ now: testClock(NOW).now }) });
  return { storage, store, notifier, logs, handle };
}

describe('area handler', () => {
  it('records the finding and notifies once; a redelivery of the same event changes and sends nothing', async () => {
    const { store, notifier, handle } = setup();
    const first = await handle(sshOpen);
    expect(first).toMatchObject({
      status: 'processed',
      eventId: sshOpen.id,
      transitions: [{ controlId: 'network.security-group-open-to-internet', transition: 'opened' }],
    });
    const again = await handle(JSON.parse(JSON.stringify(sshOpen)));
    expect(again).toMatchObject({ status: 'processed', transitions: [] });
    const findings = await store.listFindings();
    expect(findings).toHaveLength(1);
    expect(findings[0]!.count).toBe(1);
    expect(notifier.sent.map((n) => n.transition)).toEqual(['opened']);
  });

  it('logs a malformed event with its id and returns without throwing, so it is never retried', async () => {
    const { handle, logs, store } = setup();
    const broken = { ...sshOpen, detail: 'not an object' };
    await expect(handle(broken)).resolves.toMatchObject({ status: 'rejected', eventId: sshOpen.id, path: 'detail' });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'ERROR', eventId: sshOpen.id, path: 'detail', malformedEvents: 1 }));
    expect(await store.listFindings()).toEqual([]);
  });

  it('refuses an event nested 20,000 levels deep as malformed, without overflowing the stack or failing the invocation', async () => {
    const { handle, logs, store } = setup();
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i += 1) deep = { nested: deep };
    const event = { ...sshOpen, id: 'deep-1', detail: { ...sshOpen.detail, requestParameters: deep } };
    await expect(handle(event)).resolves.toMatchObject({
      status: 'rejected',
      eventId: 'deep-1',
      reason: expect.stringMatching(/nested more than 32 levels/),
    });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'ERROR', eventId: 'deep-1', malformedEvents: 1 }));
    expect(await store.listFindings()).toEqual([]);
  });

  it.each<[string, { time?: string; detailTime?: string }, RegExp]>([
    ['time', { time: '2025-03-04T10:12:41' }, /EventBridge event key "time" is not an RFC 3339 date-time/],
    ['time', { time: '2025-02-30T10:00:00Z' }, /key "time" is not a real time: 2025-02-30 is not a calendar date/],
    ['detail.eventTime', { detailTime: 'March 7' }, /key "detail.eventTime" is not an RFC 3339 date-time/],
    ['time', { time: '2026-03-03T10:07:00Z' }, /key "time" is more than 1 day ahead of the clock/],
    ['time', { time: '9999-12-31T23:59:59Z' }, /key "time" is more than 1 day ahead of the clock/],
  ])('refuses an event whose %s is not a strict time (%j), naming the key', async (path, change, reason) => {
    const { handle, store } = setup();
    const detail = change.detailTime === undefined ? sshOpen.detail : { ...sshOpen.detail, eventTime: change.detailTime };
    const event = { ...sshOpen, ...(change.time === undefined ? {} : { time: change.time }), detail };
    await expect(handle(event)).resolves.toMatchObject({ status: 'rejected', path, reason: expect.stringMatching(reason) });
    expect(await store.listFindings()).toEqual([]);
  });

  it('accepts an event an hour ahead of its clock (clocks drift), and stores its time in UTC', async () => {
    const { handle, store } = setup();
    const event = { ...sshOpen, time: '2026-03-01T11:07:00Z', detail: { ...sshOpen.detail, eventTime: '2026-03-01T06:07:00-05:00' } };
    await expect(handle(event)).resolves.toMatchObject({ status: 'processed' });
    expect((await store.listFindings())[0]).toMatchObject({ lastSeen: '2026-03-01T11:07:00.000Z' });
  });

  it('fails the invocation when notifying fails, and the retry sends the notification exactly once', async () => {
    const { handle, notifier, store } = setup();
    notifier.failing = true;
    await expect(handle(sshOpen)).rejects.toThrow(/sink down/);
    expect(notifier.sent).toEqual([]);
    // Lambda retries the same event: the finding is not counted twice and the notification goes out.
    notifier.failing = false;
    await handle(sshOpen);
    expect(notifier.sent.map((n) => [n.transition, n.finding.resourceId])).toEqual([['opened', 'sg-0a1b2c3d4e5f60718']]);
    expect((await store.listFindings())[0]!.count).toBe(1);
    // A third delivery finds nothing left to send.
    await handle(sshOpen);
    expect(notifier.sent).toHaveLength(1);
  });

  it('sends the RESOLVED notification of a resolving event even when the first attempt failed', async () => {
    const { handle, notifier } = setup();
    await handle(sshOpen);
    notifier.failing = true;
    await expect(handle(sshRevoked)).rejects.toThrow();
    notifier.failing = false;
    await handle(sshRevoked);
    expect(notifier.sent.map((n) => n.transition)).toEqual(['opened', 'resolved']);
  });

  it('as a middy handler, writes structured JSON logs with the invocation context', async () => {
    const { storage, notifier } = setup();
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const logger = new Logger({ serviceName: 'trailwarden', logLevel: 'INFO' });
      const pipeline = networkPipeline(storage, notifier);
      const handler = areaHandler({ area: 'network', logger, pipeline: () => pipeline, intake: () => ({ now: testClock(NOW).now }) });
      const context = {
        functionName: 'trailwarden-prod-network',
        awsRequestId: 'req-1',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:210987654321:function:trailwarden-prod-network',
        memoryLimitInMB: '256',
        functionVersion: '$LATEST',
        getRemainingTimeInMillis: () => 30000,
      } as unknown as Context;
      await handler(sshOpen, context);
    } finally {
      spy.mockRestore();
    }
    const lines = written
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'event evaluated',
        eventId: sshOpen.id,
        function_name: 'trailwarden-prod-network',
        function_request_id: 'req-1',
      }),
    );
  });
});
