/** Local notification sinks and the pipeline's notify-on-transition rule. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlRouter } from '../../shared/core/evaluation/router';
import { Pipeline } from '../../shared/app/pipeline/pipeline';
import { MemoryFindingStore } from '../../shared/adapters/store/memory/memory-finding-store';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { WebhookNotifier } from '../../shared/adapters/notify/webhook-notifier';
import { ConsoleNotifier } from '../../shared/adapters/notify/console-notifier';
import type { Notifier } from '../../shared/core/notifications/notifier';
import { notificationOf, subjectOf, type Notification } from '../../shared/core/notifications/notification';
import type { Control } from '../../shared/core/model/control';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { apiCallPattern, requestOf } from '../../shared/core/kernel';

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
  evaluate: (event) => [{ resourceId: String(requestOf(event).name), resourceType: 'AWS::CloudTrail::Trail', message: 'stopped', evidence: {} }],
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

class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async notify(notification: Notification): Promise<void> {
    this.sent.push(notification);
  }
  async close(): Promise<void> {}
}

describe('pipeline notifications', () => {
  it('notifies on open, never on a repeat or a redelivery, and once on resolve with the same dedup key', async () => {
    const notifier = new RecordingNotifier();
    const pipeline = new Pipeline({ router: new ControlRouter([trailStopped]), context: { settings: { ...DEFAULT_SETTINGS } }, store: new MemoryFindingStore(), notifier });
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
    const notifier = new RecordingNotifier();
    const store = new MemoryFindingStore();
    const informational: Control = { ...trailStopped, severity: 'INFORMATIONAL' };
    const pipeline = new Pipeline({ router: new ControlRouter([informational]), context: { settings: { ...DEFAULT_SETTINGS } }, store, notifier });
    await pipeline.process(trailEvent('e1', 'StopLogging', '2026-03-01T10:00:00Z'));
    await pipeline.flush();
    await pipeline.process(trailEvent('e1', 'StopLogging', '2026-03-01T10:00:00Z')); // redelivered
    await pipeline.flush();
    expect(notifier.sent).toEqual([]);
    const [finding] = await store.listFindings({});
    expect(finding).toMatchObject({ status: 'open', severity: 'INFORMATIONAL' });
    expect(finding!.unnotified).toBeUndefined(); // settled, not owed

    const everything = new RecordingNotifier();
    const loud = new Pipeline({
      router: new ControlRouter([informational]),
      context: { settings: { ...DEFAULT_SETTINGS, notifyMinSeverity: 'INFORMATIONAL' } },
      store: new MemoryFindingStore(),
      notifier: everything,
    });
    await loud.process(trailEvent('e1', 'StopLogging', '2026-03-01T10:00:00Z'));
    await loud.flush();
    expect(everything.sent.map((n) => n.transition)).toEqual(['opened']);
  });

  it('keeps subjects under 100 characters on one line', () => {
    const pipelineFinding = {
      id: 'f',
      controlId: 'x.y',
      area: 'network' as const,
      title: 'A very long title\nwith a newline and more words than any pager would ever show in one line',
      severity: 'CRITICAL' as const,
      status: 'open' as const,
      account: '111122223333',
      region: 'ap-southeast-2',
      resourceId: `arn:aws:ecs:ap-southeast-2:111122223333:task-definition/${'x'.repeat(200)}:1`,
      resourceType: 'AWS::ECS::TaskDefinition',
      message: 'm',
      firstSeen: '2026-03-01T10:00:00.000Z',
      lastSeen: '2026-03-01T10:00:00.000Z',
      count: 1,
      evidence: { eventId: 'e', eventTime: '2026-03-01T10:00:00.000Z', detailType: 'x', fields: {} },
      version: 1,
    };
    const subject = subjectOf('opened', pipelineFinding);
    expect(subject.length).toBeLessThan(100);
    expect(subject).not.toMatch(/[\u0000-\u001f]/);
    expect(subject.startsWith('[CRITICAL] network:')).toBe(true);
    const text: string[] = [];
    void new ConsoleNotifier((t) => text.push(t)).notify(notificationOf('opened', pipelineFinding, trailStopped));
    expect(text.join('')).toContain('aws cloudtrail start-logging');
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

  const notification = () => {
    const finding = {
      id: 'abc',
      controlId: trailStopped.id,
      area: 'audit' as const,
      title: 'Trail stopped',
      severity: 'HIGH' as const,
      status: 'open' as const,
      account: '111122223333',
      region: 'us-east-1',
      resourceId: 'org-trail',
      resourceType: 'AWS::CloudTrail::Trail',
      message: 'stopped',
      firstSeen: '2026-03-01T10:00:00.000Z',
      lastSeen: '2026-03-01T10:00:00.000Z',
      count: 1,
      evidence: { eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', detailType: 'AWS API Call via CloudTrail', fields: {} },
      version: 1,
    };
    return notificationOf('opened', finding, trailStopped);
  };

  it('POSTs the structured message as JSON', async () => {
    await withServer(204, async (url, received) => {
      await new WebhookNotifier(url).notify(notification());
      expect(received).toEqual([
        { type: 'application/json', body: expect.objectContaining({ findingId: 'abc', controlId: 'audit.test-trail-stopped', severity: 'HIGH', transition: 'opened', dedupKey: 'abc' }) },
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
});
