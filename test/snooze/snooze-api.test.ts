/**
 * Snooze end to end over real HTTP (`trailwarden serve`'s server, SQLite, the pipeline) with an
 * injected clock: snoozed findings stay quiet, notify again when the snooze ends if still open
 * (not if resolved meanwhile), cancellation, history, and the refusals (400 naming the parameter,
 * 404, 409, 405, 401); and the Lambda shell recording the IAM caller as the actor.
 */
import { join, resolve } from 'node:path';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { apiGatewayHandler } from '../../shared/adapters/lambda/api-gateway';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { apiDepsOf } from '../../shared/app/api/documents';
import type { Finding, HistoryEntry } from '../../shared/core/findings/finding';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { testApplication } from '../support/application';
import { HOUR, testClock } from '../support/clock';
import { violation } from '../support/observations';
import { serveSqlite, type ServedSqlite } from '../api/server';

const SAMPLES = resolve(__dirname, '../../events/network/security-group-open-to-internet');
const CONTROL = 'network.security-group-open-to-internet';
const T0 = new Date('2026-03-10T12:00:00.000Z');

let served: ServedSqlite;

const violating = (groupId: string) => served.sampleEvent(join(SAMPLES, '1-violating-ssh-ipv4.json'), { groupId });
const resolving = (groupId: string) => served.sampleEvent(join(SAMPLES, '3-resolving-revoke-ssh.json'), { groupId });
const process = async (event: EventBridgeEvent): Promise<void> => {
  await served.process(event);
};
const findingOf = (groupId: string): Promise<Finding> => served.findingOf(CONTROL, groupId);

const later = (hours: number) => new Date(served.clock.now().getTime() + hours * HOUR).toISOString();
const snoozeOf = (id: string, body: unknown) => served.api.request<{ finding: Finding }>('POST', `/api/findings/${id}/snooze`, { body });

beforeEach(async () => {
  served = await serveSqlite({ name: 'snooze-api', start: T0, actor: 'local:tester' });
});

afterEach(async () => {
  await served.close();
});

describe('snoozing over the findings API', () => {
  it('snoozes a finding, keeps it quiet, and notifies it again when the snooze ends while it is open', async () => {
    await process(violating('sg-0a1b2c3d4e5f60718'));
    const finding = await findingOf('sg-0a1b2c3d4e5f60718');
    expect(served.notifier.sent.map((n) => n.transition)).toEqual(['opened']);
    served.notifier.sent.splice(0);

    const snoozed = await snoozeOf(finding.id, { until: later(8), reason: 'fix ships in the morning deploy' });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body.finding).toMatchObject({
      id: finding.id,
      status: 'open',
      snooze: { until: later(8), reason: 'fix ships in the morning deploy', by: 'local:tester', at: T0.toISOString() },
    });
    const detail = await served.api.get<{ finding: Finding; history: HistoryEntry[] }>(`/api/findings/${finding.id}`);
    expect(detail.body.finding.snooze).toMatchObject({ until: later(8) });
    expect(detail.body.history.at(-1)).toMatchObject({
      transition: 'snoozed',
      status: 'open',
      actor: { userName: 'local:tester' },
      note: `snoozed until ${later(8)}: fix ships in the morning deploy`,
    });

    served.clock.set(new Date(T0.getTime() + HOUR));
    await process(violating('sg-0a1b2c3d4e5f60718'));
    await served.api.running.sweepAll();
    expect(served.notifier.sent).toEqual([]);

    served.clock.set(new Date(T0.getTime() + 8 * HOUR + 60_000));
    await served.api.running.sweepAll();
    await served.api.running.sweepAll();
    expect(served.notifier.sent.map((n) => [n.transition, n.finding.id, n.finding.status])).toEqual([['reopened', finding.id, 'open']]);
    const after = await served.api.get<{ finding: Finding; history: HistoryEntry[] }>(`/api/findings/${finding.id}`);
    expect(after.body.finding.snooze).toBeUndefined();
    expect(after.body.history.map((h) => h.transition)).toEqual(['opened', 'snoozed', 'unsnoozed']);
    expect(after.body.history.at(-1)).toMatchObject({
      actor: { userName: 'trailwarden (snooze sweep)' },
      note: expect.stringContaining('still open'),
    });
  });

  it('sends nothing when the snoozed finding was resolved meanwhile, and refuses to snooze it then', async () => {
    await process(violating('sg-0b0b0b0b0b0b0b0b0'));
    const finding = await findingOf('sg-0b0b0b0b0b0b0b0b0');
    expect((await snoozeOf(finding.id, { until: later(4), reason: 'rule removal in review' })).status).toBe(200);
    served.notifier.sent.splice(0);
    served.clock.set(new Date(T0.getTime() + HOUR));
    await process(resolving('sg-0b0b0b0b0b0b0b0b0'));
    expect(served.notifier.sent.map((n) => n.transition)).toEqual(['resolved']);
    served.clock.set(new Date(T0.getTime() + 5 * HOUR));
    await served.api.running.sweepAll();
    expect(served.notifier.sent.map((n) => n.transition)).toEqual(['resolved']);
    expect(await findingOf('sg-0b0b0b0b0b0b0b0b0')).toMatchObject({ status: 'resolved' });

    const refused = await snoozeOf(finding.id, { until: later(4), reason: 'again' });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: 'conflict', reason: 'the finding is resolved: there is nothing to snooze' });
  });

  it('ends a snooze early with DELETE, notifying the still open finding at once', async () => {
    await process(violating('sg-0c0c0c0c0c0c0c0c0'));
    const finding = await findingOf('sg-0c0c0c0c0c0c0c0c0');
    await snoozeOf(finding.id, { until: later(24), reason: 'waiting for the owner' });
    served.notifier.sent.splice(0);
    served.clock.set(new Date(T0.getTime() + 2 * HOUR));
    const cancelled = await served.api.request<{ finding: Finding }>('DELETE', `/api/findings/${finding.id}/snooze`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.finding.snooze).toBeUndefined();
    expect(cancelled.body.finding.status).toBe('open');
    expect(served.notifier.sent.map((n) => [n.transition, n.finding.id])).toEqual([['reopened', finding.id]]);
    expect((await served.app.storage.findings.historyOf(finding.id)).at(-1)).toMatchObject({
      transition: 'unsnoozed',
      actor: { userName: 'local:tester' },
      at: served.clock.now().toISOString(),
    });
    const again = await served.api.request('DELETE', `/api/findings/${finding.id}/snooze`);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'conflict', reason: 'the finding is not snoozed' });
    served.clock.set(new Date(T0.getTime() + 30 * HOUR));
    await served.api.running.sweepAll();
    expect(served.notifier.sent).toHaveLength(1);
  });

  it('refuses a bad request with 400 naming the parameter, an unknown finding with 404, and wrong methods with 405', async () => {
    await process(violating('sg-0d0d0d0d0d0d0d0d0'));
    const { id } = await findingOf('sg-0d0d0d0d0d0d0d0d0');
    const cases: Array<[unknown, string, RegExp]> = [
      [{ reason: 'x' }, 'until', /required/],
      [{ until: 'tonight', reason: 'x' }, 'until', /ISO-8601/],
      [{ until: new Date(T0.getTime() - 1000).toISOString(), reason: 'x' }, 'until', /in the future/],
      [{ until: later(30 * 24 + 1), reason: 'x' }, 'until', /at most 30 days ahead/],
      [{ until: later(1) }, 'reason', /required/],
      [{ until: later(1), reason: '' }, 'reason', /must not be empty/],
      [{ until: later(1), reason: 'x', actor: 'someone-else' }, 'actor', /unknown field/],
      ['[1,2]', 'body', /JSON object/],
      ['{not json', 'body', /not valid JSON/],
      ['', 'body', /required/],
    ];
    for (const [body, parameter, reason] of cases) {
      const answer = await snoozeOf(id, body);
      expect([answer.status, answer.body]).toEqual([400, { error: 'invalid parameter', parameter, reason: expect.stringMatching(reason) }]);
    }
    const wrongType = await served.api.request('POST', `/api/findings/${id}/snooze`, {
      body: 'until=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect([wrongType.status, (wrongType.body as { parameter?: string }).parameter]).toEqual([400, 'content-type']);
    const withQuery = await served.api.request('POST', `/api/findings/${id}/snooze?force=1`, { body: { until: later(1), reason: 'x' } });
    expect([withQuery.status, (withQuery.body as { parameter?: string }).parameter]).toEqual([400, 'force']);
    expect((await served.app.storage.findings.getFinding(id))!.snooze).toBeUndefined();

    expect((await snoozeOf('0'.repeat(32), { until: later(1), reason: 'x' })).status).toBe(404);
    expect((await served.api.request('DELETE', `/api/findings/${'0'.repeat(32)}/snooze`)).status).toBe(404);
    expect((await snoozeOf("' OR 1=1 --", { until: later(1), reason: 'x' })).status).toBe(404);
    const get = await served.api.request('GET', `/api/findings/${id}/snooze`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST, DELETE']);
    expect(
      (await served.api.request('POST', `/api/findings/${id}/snooze`, { token: null, body: { until: later(1), reason: 'x' } })).status,
    ).toBe(401);
    expect((await served.app.storage.findings.historyOf(id)).map((h) => h.transition)).toEqual(['opened']);
  });
});

describe('snoozing until a date that does not exist', () => {
  it('refuses 30 February with 400 naming until, though Date would read it as 2 March, within the 30 days', async () => {
    served.clock.set('2026-02-20T12:00:00.000Z');
    await process(violating('sg-0e0e0e0e0e0e0e0e0'));
    const { id } = await findingOf('sg-0e0e0e0e0e0e0e0e0');
    const answer = await snoozeOf(id, { until: '2026-02-30T12:00:00Z', reason: 'month end freeze' });
    expect([answer.status, answer.body]).toEqual([
      400,
      { error: 'invalid parameter', parameter: 'until', reason: '2026-02-30 is not a calendar date' },
    ]);
    expect((await served.app.storage.findings.getFinding(id))!.snooze).toBeUndefined();
    const lastDay = await snoozeOf(id, { until: '2026-02-28T12:00:00Z', reason: 'month end freeze' });
    expect([lastDay.status, lastDay.body.finding.snooze?.until]).toEqual([200, '2026-02-28T12:00:00.000Z']);
  });
});

describe('snoozing through the Lambda shell', () => {
  it('records the IAM caller as the actor', async () => {
    const app = testApplication({ storage: memoryStorage(), notifier: 'deferred', now: testClock(T0).now });
    const memory = app.storage.findings;
    const change = await memory.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-10T11:00:00.000Z' }));
    const handler = apiGatewayHandler(() => apiDepsOf(app));
    const caller = 'arn:aws:sts::111122223333:assumed-role/OnCall/dana';
    const request = (method: string, body?: string) =>
      handler({
        version: '2.0',
        routeKey: '$default',
        rawPath: `/api/findings/${change!.finding.id}/snooze`,
        rawQueryString: '',
        headers: { 'content-type': 'application/json' },
        requestContext: {
          http: { method },
          stage: '$default',
          authorizer: { iam: { userArn: caller, accountId: '111122223333', callerId: 'AROAEXAMPLE:dana' } },
        },
        isBase64Encoded: false,
        ...(body !== undefined ? { body } : {}),
      } as unknown as APIGatewayProxyEventV2WithIAMAuthorizer);
    const answer = await request('POST', JSON.stringify({ until: '2026-03-10T20:00:00Z', reason: 'paging the owner in the morning' }));
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body!).finding.snooze).toEqual({
      until: '2026-03-10T20:00:00.000Z',
      reason: 'paging the owner in the morning',
      by: caller,
      at: T0.toISOString(),
    });
    expect((await memory.historyOf(change!.finding.id)).at(-1)).toMatchObject({ transition: 'snoozed', actor: { arn: caller } });
    // Without a notifier (the API function), the cancellation's notification is left to the sweep.
    const cancelled = await request('DELETE');
    expect(cancelled.statusCode).toBe(200);
    expect(JSON.parse(cancelled.body!).finding.unnotified).toEqual({
      transition: 'reopened',
      eventId: `snooze:${T0.toISOString()}:cancelled`,
    });
    expect((await memory.historyOf(change!.finding.id)).at(-1)).toMatchObject({ transition: 'unsnoozed', actor: { arn: caller } });
  });
});
