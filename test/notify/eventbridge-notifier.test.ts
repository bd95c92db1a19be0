/**
 * The EventBridge notifier, through the real EventBridge client, against a local endpoint that
 * speaks PutEvents' JSON 1.1 protocol (test/support/put-events-endpoint.ts) and fails the entries a
 * test chooses, the way EventBridge reports a partial failure (FailedEntryCount, ErrorCode).
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  detailOf,
  entrySizeOf,
  EventBridgeNotifier,
  EventBridgePublishError,
  FINDING_EVENT_DETAIL_TYPE,
  FINDING_EVENT_SOURCE,
  findingEventEntryOf,
  PUT_EVENTS_MAX_BYTES,
  type FindingEventDetail,
} from '../../shared/adapters/notify/eventbridge-notifier';
import type { Finding } from '../../shared/core/findings/finding';
import { OPEN_INGRESS_CONTROL, openIngressFinding } from '../support/open-ingress';
import { notificationOf, type NotifiableTransition, type Notification } from '../../shared/core/notifications/notification';
import { receivedEntrySize, startPutEventsEndpoint, type PutEventsEndpoint, type ReceivedEntry } from '../support/put-events-endpoint';

const BUS = 'arn:aws:events:eu-west-1:999999999999:event-bus/trailwarden-organization';
const ACCOUNT = '111122223333';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const PASSWORD = 'hunter2-very-secret';

const control = OPEN_INGRESS_CONTROL;

/** A HIGH finding of ACCOUNT, still owing its opening (as delivery hands it to the notifier). */
function findingOf(resourceId: string, overrides: Partial<Finding> = {}): Finding {
  return openIngressFinding('HIGH', ACCOUNT, resourceId, {
    unnotified: { transition: 'opened', eventId: `event-${resourceId}` },
    version: 3,
    ...overrides,
  });
}

const notify = (transition: NotifiableTransition, finding: Finding): Notification => notificationOf(transition, finding, control);
const openings = (n: number) => Array.from({ length: n }, (_, i) => notify('opened', findingOf(`sg-${String(i).padStart(4, '0')}`)));
const detailOfEntry = (entry: ReceivedEntry) => JSON.parse(entry.Detail!) as FindingEventDetail;
const idOf = (entry: ReceivedEntry) => detailOfEntry(entry).id;

let endpoint: PutEventsEndpoint;
let client: EventBridgeClient;

beforeAll(async () => {
  endpoint = await startPutEventsEndpoint();
  // One attempt per request: the SDK's own retries would hide the notifier's.
  client = new EventBridgeClient({
    endpoint: endpoint.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await endpoint.stop();
});

beforeEach(() => {
  endpoint.requests.length = 0;
  endpoint.accepted.length = 0;
  endpoint.failEntry = () => undefined;
  endpoint.refuseWith = undefined;
});

const noWait = async () => undefined;
const notifier = (options: { maxAttempts?: number } = {}) =>
  new EventBridgeNotifier({ client, eventBusName: BUS, sleep: noWait, ...options });

describe('EventBridgeNotifier', () => {
  it('puts an opening as one trailwarden Finding event: the masked finding, the transition, the control and its frameworks', async () => {
    const finding = findingOf('sg-0open');
    await notifier().notify(notify('opened', finding));

    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0]).toMatchObject({ target: 'AWSEvents.PutEvents', contentType: 'application/x-amz-json-1.1' });
    expect(endpoint.accepted).toHaveLength(1);
    const entry = endpoint.accepted[0]!;
    expect(entry).toMatchObject({ EventBusName: BUS, Source: FINDING_EVENT_SOURCE, DetailType: FINDING_EVENT_DETAIL_TYPE });
    const detail = detailOfEntry(entry);
    expect(detail).toMatchObject({
      id: `${finding.id}:event-sg-0open:opened`,
      schemaVersion: '1',
      transition: 'opened',
      finding: {
        id: finding.id,
        severity: 'HIGH',
        status: 'open',
        account: ACCOUNT,
        resourceId: 'sg-0open',
        evidence: { eventId: 'event-sg-0open' },
      },
      control: { id: control.id, title: control.title, runbook: control.runbook },
      frameworks: [{ framework: 'cis-aws', requirement: '5.2' }],
    });
    // The store's bookkeeping is not part of the event.
    expect(detail.finding).not.toHaveProperty('unnotified');
    expect(detail.finding).not.toHaveProperty('version');
    expect(detail).not.toHaveProperty('truncated');
  });

  it('names a resolution by the resolving event, so each transition of a finding has its own stable id', () => {
    const finding = findingOf('sg-0res', {
      status: 'resolved',
      resolvedAt: '2026-03-01T11:00:00.000Z',
      resolvedBy: { eventId: 'revoke-1', message: 'ingress revoked' },
    });
    expect(detailOf(notify('resolved', finding)).id).toBe(`${finding.id}:revoke-1:resolved`);
    expect(detailOf(notify('escalated', finding)).id).toBe(`${finding.id}:event-sg-0res:escalated`);
    // Built twice (a retry after a failure), the id is the same: consumers dedupe on it.
    expect(detailOf(notify('resolved', finding)).id).toBe(detailOf(notify('resolved', finding)).id);
  });

  it('puts many notifications in requests of at most 10 entries, each entry once', async () => {
    const notifications = openings(23);
    await notifier().publish(notifications);

    expect(endpoint.requests.map((request) => request.entries.length)).toEqual([10, 10, 3]);
    expect(endpoint.accepted.map(idOf)).toEqual(notifications.map((n) => detailOf(n).id));
  });

  it('sends again only the entries that failed with a retryable code, until accepted, never an accepted one twice', async () => {
    const notifications = openings(12);
    const flaky = new Set([1, 4, 11].map((i) => detailOf(notifications[i]!).id));
    const failures = new Map<string, number>();
    endpoint.failEntry = (entry) => {
      const id = idOf(entry);
      if (!flaky.has(id)) return undefined;
      const n = (failures.get(id) ?? 0) + 1;
      failures.set(id, n);
      // Throttled twice, then an internal failure, then accepted.
      return n <= 2 ? 'ThrottlingException' : n === 3 ? 'InternalFailure' : undefined;
    };

    await notifier({ maxAttempts: 5 }).publish(notifications);

    const sizes = endpoint.requests.map((request) => request.entries.length);
    expect(sizes).toEqual([10, 2, 3, 3, 3]);
    // Every retry request holds the failed entries only.
    for (const request of endpoint.requests.slice(2)) expect(new Set(request.entries.map(idOf))).toEqual(flaky);
    const accepted = endpoint.accepted.map(idOf);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(new Set(accepted)).toEqual(new Set(notifications.map((n) => detailOf(n).id)));
  });

  it('reports entries still failing after the attempts as an error naming them, with how many were accepted', async () => {
    const notifications = openings(3);
    const stuck = detailOf(notifications[2]!).id;
    endpoint.failEntry = (entry) => (idOf(entry) === stuck ? 'ThrottlingException' : undefined);

    const error = await notifier({ maxAttempts: 3 })
      .publish(notifications)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventBridgePublishError);
    const failure = error as EventBridgePublishError;
    expect(failure.failedIds).toEqual([stuck]);
    expect(failure.accepted).toBe(2);
    expect(failure.message).toContain('1 of 3 entries not accepted');
    expect(failure.message).toContain('after 3 attempts: ThrottlingException ×1');
    expect(endpoint.requests.map((request) => request.entries.length)).toEqual([3, 1, 1]);
    expect(endpoint.accepted).toHaveLength(2);
  });

  it('does not retry an entry refused for good (AccessDeniedException)', async () => {
    endpoint.failEntry = () => 'AccessDeniedException';
    await expect(notifier().notify(openings(1)[0]!)).rejects.toThrow(/not accepted .*rejected: AccessDeniedException ×1/);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('reports a request the service refuses as a whole, without retrying it', async () => {
    endpoint.refuseWith = 'AccessDeniedException';
    await expect(notifier().publish(openings(2))).rejects.toThrow(
      /2 of 2 entries not accepted .*the request failed: AccessDeniedException \(HTTP 400\)/,
    );
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.accepted).toHaveLength(0);
  });

  it('keeps an entry under 256 KB when the evidence is huge: the evidence is shortened and the detail says so', async () => {
    const huge = 'x'.repeat(400_000);
    const notifications = [0, 1, 2].map((i) =>
      notify(
        'opened',
        findingOf(`sg-huge${i}`, {
          evidence: {
            ...findingOf('sg').evidence,
            eventId: `huge-${i}`,
            userAgent: huge,
            fields: { policy: huge, groupId: `sg-huge${i}` },
          },
        }),
      ),
    );
    for (const notification of notifications) {
      const entry = findingEventEntryOf(notification, BUS);
      expect(entrySizeOf(entry)).toBeLessThanOrEqual(PUT_EVENTS_MAX_BYTES);
      const detail = JSON.parse(entry.Detail!) as FindingEventDetail;
      expect(detail.truncated?.reason).toContain('256 KB');
      expect(detail.finding.evidence.fields).toEqual({});
      expect(detail.finding.evidence.eventId).toBe(notification.finding.evidence.eventId);
    }

    await notifier().publish(notifications);
    for (const request of endpoint.requests) {
      const total = request.entries.reduce((sum, entry) => sum + receivedEntrySize(entry), 0);
      expect(total).toBeLessThanOrEqual(PUT_EVENTS_MAX_BYTES);
    }
    expect(endpoint.accepted).toHaveLength(3);
  });

  it('packs large entries into requests under 256 KB in total', async () => {
    const large = 'y'.repeat(100_000);
    const notifications = [0, 1, 2, 3].map((i) =>
      notify(
        'opened',
        findingOf(`sg-large${i}`, { evidence: { ...findingOf('sg').evidence, eventId: `large-${i}`, fields: { policy: large } } }),
      ),
    );
    await notifier().publish(notifications);
    expect(endpoint.requests.map((request) => request.entries.length)).toEqual([2, 2]);
    expect(endpoint.accepted.map((entry) => detailOfEntry(entry).truncated)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('puts no secret on the bus, even from a notification built without masking', async () => {
    const finding = findingOf('sg-0secret', {
      message: `opened with password=${PASSWORD}`,
      evidence: {
        ...findingOf('sg').evidence,
        userAgent: `curl/8 password=${PASSWORD}`,
        actor: { type: 'IAMUser', accessKeyId: ACCESS_KEY } as Finding['evidence']['actor'],
        fields: { secretAccessKey: SECRET_KEY, environment: [{ name: 'DB_PASSWORD', value: PASSWORD }], note: ACCESS_KEY },
      },
    });
    const masked = notify('opened', finding);
    // As a caller that forgot notificationOf would build it: the finding as stored, unmasked.
    const unmasked: Notification = { ...masked, finding };

    await notifier().publish([masked, unmasked]);

    expect(endpoint.accepted).toHaveLength(2);
    for (const entry of endpoint.accepted) {
      const text = JSON.stringify(entry);
      for (const secret of [PASSWORD, SECRET_KEY, ACCESS_KEY]) expect(text).not.toContain(secret);
      expect(detailOfEntry(entry).finding.evidence.fields).toMatchObject({ secretAccessKey: '****' });
    }
  });
});
