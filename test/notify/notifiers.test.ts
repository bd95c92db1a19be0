/** Local notification sinks (notifications and the digest) and the pipeline's notify-on-transition rule. */
import { testFinding } from '../support/findings';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStorage } from '../../shared/adapters/store/memory';
import type { Settings } from '../../shared/core/settings/settings';
import { WebhookNotifier } from '../../shared/adapters/notify/webhook-notifier';
import { ConsoleNotifier } from '../../shared/adapters/notify/console-notifier';
import { JsonlNotifier } from '../../shared/adapters/notify/jsonl-notifier';
import { FanOutNotifier, NotificationError } from '../../shared/adapters/notify/fan-out-notifier';
import { notificationOf, subjectOf, jsonOf } from '../../shared/core/notifications/notification';
import { buildDigest, digestJsonOf, digestTextOf, type Digest } from '../../shared/core/notifications/digest';
import type { Finding } from '../../shared/core/findings/finding';
import type { Control } from '../../shared/core/model/control';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { requestOf } from '../../shared/core/kernel/records';
import { apiCallPattern } from '../../shared/core/kernel/patterns';
import type { Storage } from '../../shared/app/storage';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';
import { recordingNotifier, type RecordingNotifier } from '../support/notifier';

/** A minimal control for exercising the pipeline: a trail stopped opens, started resolves. */
const trailStopped: Control = {
  id: 'audit.test-trail-stopped',
  area: 'audit',
  title: 'Trail stopped',
  severity: 'HIGH',
  rationale: 'Without the trail nothing is audited.',
  runbook: ['aws cloudtrail start-logging --name <trail>'],
  frameworks: [{ framework: 'cis-aws', requirement: '3.1' }],
  patterns: [apiCallPattern('cloudtrail.amazonaws.com', ['StopLogging'])],
  evaluate: (event) => [
    { resourceId: String(requestOf(event).name), resourceType: 'AWS::CloudTrail::Trail', message: 'stopped', evidence: {} },
  ],
  resolution: {
    description: 'StartLogging',
    patterns: [apiCallPattern('cloudtrail.amazonaws.com', ['StartLogging'])],
    resolve: (event) => [{ resourceId: String(requestOf(event).name), message: 'started' }],
  },
};

function trailEvent(id: string, eventName: string, time: string): EventBridgeEvent {
  return {
    version: '0',
    id,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.cloudtrail',
    account: '111122223333',
    time,
    region: 'us-east-1',
    resources: [],
    detail: { eventSource: 'cloudtrail.amazonaws.com', eventName, eventTime: time, requestParameters: { name: 'org-trail' } },
  };
}

/** A finding of `trailStopped` as the store holds it. */
function trailFinding(overrides: Partial<Finding> = {}): Finding {
  return testFinding({
    id: 'abc',
    controlId: trailStopped.id,
    area: 'audit',
    title: 'Trail stopped',
    region: 'us-east-1',
    resourceId: 'org-trail',
    resourceType: 'AWS::CloudTrail::Trail',
    message: 'stopped',
    ...overrides,
  });
}

/** The digest of 1 March 2026: one MEDIUM finding, below the paging threshold. */
function marchDigest(): Digest {
  const finding = trailFinding({ id: 'medium-1', severity: 'MEDIUM', resourceId: 'team-trail' });
  const digest = buildDigest([finding], new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z'), {
    findingsUrl: 'https://trailwarden.example.com',
  });
  expect(digest.total).toBe(1); // the fixture's premise
  return digest;
}

/** The pipeline of an application that knows only `control`, on a fixed clock. */
function pipelineOf(control: Control, storage: Storage, notifier: RecordingNotifier, settings: Partial<Settings> = {}) {
  return testApplication({ storage, notifier, now: testClock('2026-03-01T12:00:00Z').now, settings, catalogue: [control] }).pipeline();
}

describe('pipeline notifications', () => {
  it('notifies on open, never on a repeat or a redelivery, and once on resolve with the same dedup key', async () => {
    const notifier = recordingNotifier();
    const pipeline = pipelineOf(trailStopped, memoryStorage(), notifier);
    await pipeline.process(trailEvent('e1', 'StopLogging', '2026-03-01T10:00:00Z'));
    expect(notifier.sent).toEqual([]); // nothing before the writes are flushed
    await pipeline.flush();
    await pipeline.process(trailEvent('e1', 'StopLogging', '2026-03-01T10:00:00Z')); // redelivered
    await pipeline.process(trailEvent('e2', 'StopLogging', '2026-03-01T10:05:00Z')); // repeat
    await pipeline.process(trailEvent('r1', 'StartLogging', '2026-03-01T11:00:00Z'));
    await pipeline.process(trailEvent('r1', 'StartLogging', '2026-03-01T11:00:00Z')); // redelivered
    await pipeline.flush();
    expect(notifier.sent.map((n) => [n.transition, n.subject])).toEqual([
      ['opened', '[HIGH] audit: Trail stopped on org-trail (111122223333/us-east-1)'],
      ['resolved', '[RESOLVED] audit: Trail stopped on org-trail (111122223333/us-east-1)'],
    ]);
    expect(notifier.sent[0]!.dedupKey).toBe(notifier.sent[1]!.dedupKey);
  });

  it('records findings below notifyMinSeverity without sending them, then or on a redelivery', async () => {
    const notifier = recordingNotifier();
    const storage = memoryStorage();
    const store = storage.findings;
    const informational: Control = { ...trailStopped, severity: 'INFORMATIONAL' };
    const pipeline = pipelineOf(informational, storage, notifier);
    await pipeline.process(trailEvent('e1', 'StopLogging', '2026-03-01T10:00:00Z'));
    await pipeline.flush();
    await pipeline.process(trailEvent('e1', 'StopLogging', '2026-03-01T10:00:00Z')); // redelivered
    await pipeline.flush();
    expect(notifier.sent).toEqual([]);
    const [finding] = await store.listFindings({});
    expect(finding).toMatchObject({ status: 'open', severity: 'INFORMATIONAL' });
    expect(finding!.unnotified).toBeUndefined(); // settled, not owed

    const everything = recordingNotifier();
    const loud = pipelineOf(informational, memoryStorage(), everything, { notifyMinSeverity: 'INFORMATIONAL' });
    await loud.process(trailEvent('e1', 'StopLogging', '2026-03-01T10:00:00Z'));
    await loud.flush();
    expect(everything.sent.map((n) => n.transition)).toEqual(['opened']);
  });

  it('keeps subjects under 100 characters on one line', () => {
    const pipelineFinding = testFinding({
      title: 'A very long title\nwith a newline and more words than any pager would ever show in one line',
      severity: 'CRITICAL',
      region: 'ap-southeast-2',
      resourceId: `arn:aws:ecs:ap-southeast-2:111122223333:task-definition/${'x'.repeat(200)}:1`,
      resourceType: 'AWS::ECS::TaskDefinition',
    });
    const subject = subjectOf('opened', pipelineFinding);
    expect(subject.length).toBeLessThan(100);
    expect(subject).not.toMatch(/[\u0000-\u001f]/);
    expect(subject.startsWith('[CRITICAL] network:')).toBe(true);
    const text: string[] = [];
    void new ConsoleNotifier((t) => text.push(t)).notify(notificationOf('opened', pipelineFinding, trailStopped));
    expect(text.join('')).toContain('aws cloudtrail start-logging');
  });
});

describe('ConsoleNotifier (issue 12: terminal injection)', () => {
  it('prints control characters, C1 and bidi overrides from an event as visible escapes', async () => {
    const written: string[] = [];
    const hostile = testFinding({
      resourceId: 'sg-1\u001b[2J',
      evidence: { ...testFinding().evidence, userAgent: 'ua \u001b]0;pwned\u0007 \u009b31m \u202eexe' },
    });
    await new ConsoleNotifier((text) => written.push(text)).notify(notificationOf('opened', hostile, trailStopped));
    const text = written.join('');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain(String.raw`(ua \x1b]0;pwned\x07 \x9b31m \u202eexe)`);
    expect(text).toContain(String.raw`sg-1\x1b[2J`);
  });
});

describe('WebhookNotifier', () => {
  async function withServer(status: number, run: (url: string, received: Array<{ body: unknown; type?: string }>) => Promise<void>) {
    const received: Array<{ body: unknown; type?: string }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ body: JSON.parse(body), ...(req.headers['content-type'] ? { type: req.headers['content-type'] } : {}) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/s3cr3t-token`, received);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  const notification = () => notificationOf('opened', trailFinding(), trailStopped);

  it('POSTs the structured message as JSON', async () => {
    await withServer(204, async (url, received) => {
      await new WebhookNotifier(url).notify(notification());
      expect(received).toEqual([
        {
          type: 'application/json',
          body: expect.objectContaining({
            findingId: 'abc',
            controlId: 'audit.test-trail-stopped',
            severity: 'HIGH',
            transition: 'opened',
            dedupKey: 'abc',
          }),
        },
      ]);
    });
  });

  it('rejects on a non-2xx answer without revealing the URL path (it may hold a token)', async () => {
    await withServer(500, async (url) => {
      const error = await new WebhookNotifier(url).notify(notification()).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/answered 500/);
      expect((error as Error).message).not.toContain('s3cr3t-token');
    });
  });

  it('POSTs the digest as its JSON document', async () => {
    const digest = marchDigest();
    await withServer(204, async (url, received) => {
      await new WebhookNotifier(url).sendDigest(digest);
      expect(received).toEqual([{ type: 'application/json', body: JSON.parse(JSON.stringify(digestJsonOf(digest))) }]);
      expect(received[0]!.body).toMatchObject({ type: 'digest', total: 1, pageMinSeverity: 'HIGH', since: '2026-03-01T00:00:00.000Z' });
    });
  });

  it('rejects a digest the webhook does not accept, without revealing the URL path', async () => {
    await withServer(503, async (url) => {
      const error = await new WebhookNotifier(url).sendDigest(marchDigest()).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/answered 503/);
      expect((error as Error).message).not.toContain('s3cr3t-token');
    });
  });
});

describe('the digest through the local sinks', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailwarden-notifiers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ConsoleNotifier prints the digest text, as it prints a notification', async () => {
    const digest = marchDigest();
    const written: string[] = [];
    await new ConsoleNotifier((text) => written.push(text)).sendDigest(digest);
    expect(written).toEqual([`${digestTextOf(digest)}\n\n`]);
    expect(written[0]).toContain('[DIGEST] trailwarden: 1 finding below HIGH');
    expect(written[0]).toContain('team-trail');
    expect(written[0]).toContain('https://trailwarden.example.com/#finding=medium-1');
  });

  it('JsonlNotifier appends the digest as one JSON line after the notifications', async () => {
    const digest = marchDigest();
    const file = join(dir, 'sent.jsonl');
    const notifier = new JsonlNotifier(file);
    await notifier.notify(notificationOf('opened', trailFinding(), trailStopped));
    await notifier.sendDigest(digest);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(''); // every line ends with a newline
    expect(JSON.parse(lines[0]!)).toEqual(JSON.parse(JSON.stringify(jsonOf(notificationOf('opened', trailFinding(), trailStopped)))));
    expect(JSON.parse(lines[1]!)).toEqual(JSON.parse(JSON.stringify(digestJsonOf(digest))));
    expect(JSON.parse(lines[1]!)).toMatchObject({ type: 'digest', total: 1, groups: [{ area: 'audit', severity: 'MEDIUM', total: 1 }] });
  });

  it('FanOutNotifier sends the digest to every sink, and a failing sink does not stop the others', async () => {
    const digest = marchDigest();
    const mailbox = recordingNotifier();
    const down = recordingNotifier();
    down.failing = true;
    const written: string[] = [];
    const file = join(dir, 'digests.jsonl');
    const fanOut = new FanOutNotifier([
      { name: 'mailbox', notifier: mailbox },
      { name: 'down', notifier: down },
      { name: 'console', notifier: new ConsoleNotifier((text) => written.push(text)) },
      { name: 'jsonl', notifier: new JsonlNotifier(file) },
    ]);

    const error = await fanOut.sendDigest(digest).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NotificationError);
    expect((error as NotificationError).message).toBe('down: sink down');
    const dedupKey = `digest/${digest.since}/${digest.until}`;
    expect((error as NotificationError).failures).toEqual([{ sink: 'down', dedupKey, reason: 'sink down' }]);
    expect(mailbox.digests).toEqual([digest]);
    expect(mailbox.sent).toEqual([]); // a digest, not a notification
    expect(down.digests).toEqual([]);
    expect(written).toEqual([`${digestTextOf(digest)}\n\n`]);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(digestJsonOf(digest))}\n`);

    down.failing = false; // the sink is back: the digest goes everywhere
    await expect(fanOut.sendDigest(digest)).resolves.toBeUndefined();
    expect([mailbox.digests.length, down.digests.length, written.length]).toEqual([2, 1, 2]);
  });
});
