/**
 * What a notification says, from a real sample event through the pipeline: subject, body
 * (what, who, where, when, why, what to do, frameworks, link), the structured JSON, the Chatbot
 * and PagerDuty forms; a secret in an event never reaches any sink. Also keeps the README's
 * samples generated from the same event (TRAILWARDEN_UPDATE_README=1 rewrites them).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readEvents } from '../../shared/adapters/intake';
import { replay } from '../../shared/app/pipeline/replay';
import { flushAllRollups } from '../../shared/app/jobs/rollups';
import { memoryStorage } from '../../shared/adapters/store/memory';
import type { Notifier } from '../../shared/core/notifications/notifier';
import { FanOutNotifier } from '../../shared/adapters/notify/fan-out-notifier';
import { ConsoleNotifier } from '../../shared/adapters/notify/console-notifier';
import { JsonlNotifier } from '../../shared/adapters/notify/jsonl-notifier';
import { WebhookNotifier } from '../../shared/adapters/notify/webhook-notifier';
import { snsPublishInputOf } from '../../shared/adapters/notify/sns-notifier';
import { chatbotNotificationOf } from '../../shared/core/notifications/chatbot';
import { pagerDutyEventOf } from '../../shared/core/notifications/pagerduty';
import { jsonOf, textOf } from '../../shared/core/notifications/notification';
import { buildDigest, digestJsonOf, digestTextOf } from '../../shared/core/notifications/digest';
import type { Settings } from '../../shared/core/settings/settings';
import type { Application } from '../../shared/app/compose';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';
import { recordingNotifier } from '../support/notifier';

const EVENTS = resolve(__dirname, '../../events');
const SG_DIR = join(EVENTS, 'network/security-group-open-to-internet');
const README = resolve(__dirname, '../../README.md');
const URL_BASE = 'https://trailwarden.example.com';
/** The clock of every replay here (storm-control windows): a minute after the SSH sample event. */
const REPLAYED_AT = '2025-03-04T10:13:00.000Z';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-content-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Replays as the CLI does: the application's pipeline, then every roll-up still held. */
async function replayWith(app: Application, files: string[]) {
  await replay(readEvents(files), app.pipeline(), { flushRollups: () => flushAllRollups(app.jobs, app.clock()) });
}

async function replayFiles(files: string[], settings: Partial<Settings> = {}, notifier: Notifier = recordingNotifier()) {
  const storage = memoryStorage();
  await replayWith(testApplication({ storage, notifier, now: testClock(REPLAYED_AT).now, settings }), files);
  return { storage, notifier };
}

/** The opening and the RESOLVED message of the SSH-open sample, with findingsUrl set. */
async function sshOpenAndResolved(settings: Partial<Settings> = { findingsUrl: URL_BASE }) {
  const notifier = recordingNotifier();
  await replayFiles([join(SG_DIR, '1-violating-ssh-ipv4.json'), join(SG_DIR, '3-resolving-revoke-ssh.json')], settings, notifier);
  return notifier.sent.filter((n) => n.control.id === 'network.security-group-open-to-internet');
}

describe('a notification from a real sample event', () => {
  it('leads its subject with severity, area and problem, then resource and account/region', async () => {
    const [opened, resolved, ...rest] = await sshOpenAndResolved();
    expect(rest).toEqual([]); // one RESOLVED message, nothing else
    expect(opened!.subject).toBe('[CRITICAL] network: Security group ingress open t… on sg-0a1b2c3d4e5f60718 (111122223333/us-east-1)');
    expect(opened!.subject.length).toBeLessThan(100);
    expect(resolved!.transition).toBe('resolved');
    expect(resolved!.subject.startsWith('[RESOLVED] network: ')).toBe(true);
    expect(resolved!.dedupKey).toBe(opened!.dedupKey);
  });

  it('says what happened, who, where, when, why, what to do, the frameworks and where to look', async () => {
    const [opened, resolved] = await sshOpenAndResolved();
    const text = textOf(opened!);
    expect(text).toMatch(/^OPENED: .*sg-0a1b2c3d4e5f60718.*0\.0\.0\.0\/0/m);
    expect(text).toContain('Who:   arn:aws:sts::111122223333:assumed-role/PlatformAdmin/alice from 203.0.113.24 (aws-cli/2.15.30');
    expect(text).toContain('Where: account 111122223333, region us-east-1, AWS::EC2::SecurityGroup sg-0a1b2c3d4e5f60718');
    expect(text).toMatch(/^When: {2}2025-03-04T10:12:41(\.000)?Z \(event b9f16115-49d1-4087-8491-a9dc9c1432f2\)/m);
    expect(text).toMatch(/^Why: {3}\S/m);
    expect(text).toMatch(/^What to do:\n {2}1\. \S/m);
    expect(text).toMatch(/^Frameworks: .*cis-aws/m);
    expect(text).toContain(`Link:  ${URL_BASE}/#finding=${opened!.finding.id}`);
    expect(jsonOf(opened!)).toMatchObject({
      findingId: opened!.finding.id,
      link: `${URL_BASE}/#finding=${opened!.finding.id}`,
      actor: { arn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/alice' },
      sourceIp: '203.0.113.24',
      userAgent: expect.stringMatching(/^aws-cli\//),
      runbook: expect.arrayContaining([expect.any(String)]),
    });
    const resolvedText = textOf(resolved!);
    expect(resolvedText).toMatch(/^RESOLVED: /m);
    expect(resolvedText).toContain('Resolved by: arn:aws:sts::111122223333:assumed-role/PlatformAdmin/alice');
    expect(jsonOf(resolved!)).toMatchObject({
      status: 'resolved',
      transition: 'resolved',
      eventId: expect.any(String),
      resolvedAt: expect.any(String),
    });
  });

  it('has no link without the findingsUrl setting', async () => {
    const [opened] = await sshOpenAndResolved({});
    expect(opened!.link).toBeUndefined();
    expect(textOf(opened!)).not.toContain('Link:');
    expect(jsonOf(opened!)).not.toHaveProperty('link');
  });

  it('has the AWS Chatbot custom notification form, threaded by dedup key', async () => {
    const [opened, resolved] = await sshOpenAndResolved();
    const card = chatbotNotificationOf(opened!);
    expect(Object.keys(card).sort()).toEqual(['content', 'id', 'metadata', 'source', 'version']);
    expect(card).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
    expect(Object.keys(card.content).sort()).toEqual(['description', 'keywords', 'nextSteps', 'textType', 'title']);
    expect(Object.keys(card.metadata).sort()).toEqual([
      'additionalContext',
      'enableCustomActions',
      'eventType',
      'relatedResources',
      'summary',
      'threadId',
    ]);
    expect(card.content.title).toContain(opened!.subject);
    expect(card.content.nextSteps).toEqual(opened!.control.runbook);
    expect(card.metadata).toMatchObject({
      threadId: opened!.dedupKey,
      relatedResources: ['sg-0a1b2c3d4e5f60718'],
      eventType: 'trailwarden.opened',
    });
    expect(Object.values(card.metadata.additionalContext).every((v) => typeof v === 'string')).toBe(true);
    expect(chatbotNotificationOf(resolved!).metadata.threadId).toBe(opened!.dedupKey);
    // On a topic for Chatbot, the https payload is the card; the other protocols keep their forms.
    const document = JSON.parse(
      snsPublishInputOf(opened!, 'arn:aws:sns:us-east-1:999999999999:chat', { httpsPayload: 'chatbot' }).Message!,
    ) as Record<string, string>;
    expect(JSON.parse(document.https!)).toEqual(card);
    expect(JSON.parse(document.sqs!)).toEqual(JSON.parse(JSON.stringify(jsonOf(opened!))));
  });

  it('maps to PagerDuty Events API v2: trigger, then resolve with the same dedup_key', async () => {
    const [opened, resolved] = await sshOpenAndResolved();
    const trigger = pagerDutyEventOf(opened!, 'R0UT1NGKEY');
    expect(trigger).toMatchObject({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: opened!.finding.id,
      payload: {
        severity: 'critical',
        source: 'aws:111122223333:us-east-1',
        component: 'sg-0a1b2c3d4e5f60718',
        group: 'network',
        class: 'network.security-group-open-to-internet',
      },
      links: [{ href: `${URL_BASE}/#finding=${opened!.finding.id}` }],
    });
    expect(trigger.payload!.summary.length).toBeLessThanOrEqual(1024);
    expect(pagerDutyEventOf(resolved!, 'R0UT1NGKEY')).toEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'resolve',
      dedup_key: opened!.finding.id,
    });
  });
});

describe('a secret in an event', () => {
  it('never reaches the output of any sink', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const sampleDir = join(EVENTS, 'data/secret-in-task-definition');
    const record = JSON.parse(readFileSync(join(sampleDir, readdirSync(sampleDir).find((f) => f === '1-violating.json')!), 'utf8'));
    record.requestParameters.containerDefinitions[0].environment = [
      { name: 'AWS_SECRET_ACCESS_KEY', value: secret },
      { name: 'DATABASE_URL', value: `postgres://app:${secret}@db.internal:5432/app` },
    ];
    record.userAgent = `aws-cli/2.15.0 token=${secret}`;
    const input = join(dir, 'secret.json');
    writeFileSync(input, JSON.stringify(record));

    const console: string[] = [];
    const posted: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        posted.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const recording = recordingNotifier();
    const jsonl = join(dir, 'sent.jsonl');
    try {
      const notifier = new FanOutNotifier([
        { name: 'console', notifier: new ConsoleNotifier((t) => console.push(t)) },
        { name: 'jsonl', notifier: new JsonlNotifier(jsonl) },
        { name: 'webhook', notifier: new WebhookNotifier(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`) },
        { name: 'recording', notifier: recording },
      ]);
      const { storage } = await replayFiles([input], { findingsUrl: URL_BASE, notifyMinSeverity: 'INFORMATIONAL' }, notifier);
      const store = storage.findings;
      expect(recording.sent.length).toBeGreaterThan(0);
      // The digest goes through the same sinks (the Notifier port): every finding below CRITICAL in it.
      const digest = buildDigest(await store.listFindings(), new Date('2000-01-01'), new Date('2100-01-01'), {
        pageMinSeverity: 'CRITICAL',
        findingsUrl: URL_BASE,
      });
      expect(digest.total).toBeGreaterThan(0);
      await notifier.sendDigest(digest);
      expect(recording.digests).toHaveLength(1);
      const outputs = [
        console.join(''),
        readFileSync(jsonl, 'utf8'),
        posted.join(''),
        ...recording.sent.flatMap((n) => [
          JSON.stringify(snsPublishInputOf(n, 'arn:aws:sns:us-east-1:999999999999:findings')),
          JSON.stringify(snsPublishInputOf(n, 'arn:aws:sns:us-east-1:999999999999:chat', { httpsPayload: 'chatbot' })),
          JSON.stringify(pagerDutyEventOf(n, 'key')),
        ]),
        digestTextOf(
          buildDigest(await store.listFindings(), new Date('2000-01-01'), new Date('2100-01-01'), { pageMinSeverity: 'CRITICAL' }),
        ),
        ...recording.digests.flatMap((d) => [digestTextOf(d), JSON.stringify(digestJsonOf(d))]),
      ];
      for (const output of outputs) {
        expect(output.length).toBeGreaterThan(0);
        expect(output).not.toContain(secret);
        expect(output).not.toContain(encodeURIComponent(secret));
      }
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });
});

/** The README's generated samples, between `<!-- notification-samples:NAME -->` markers. */
describe('README notification samples', () => {
  it('are generated from the sample events (TRAILWARDEN_UPDATE_README=1 refreshes them)', async () => {
    const [opened] = await sshOpenAndResolved();
    const burstNotifier = recordingNotifier();
    const burstDir = join(dir, 'burst');
    require('node:fs').mkdirSync(burstDir);
    const template = JSON.parse(readFileSync(join(SG_DIR, '1-violating-ssh-ipv4.json'), 'utf8'));
    for (let i = 0; i < 8; i += 1) {
      writeFileSync(
        join(burstDir, `${i}.json`),
        JSON.stringify({
          ...template,
          eventID: `00000000-0000-4000-8000-00000000000${i}`,
          requestParameters: { ...template.requestParameters, groupId: `sg-0bad${String(i).padStart(13, '0')}` },
        }),
      );
    }
    const settings = { findingsUrl: URL_BASE, notifyBurst: { individual: 5, windowMinutes: 15 } };
    const burstApp = testApplication({ storage: memoryStorage(), notifier: burstNotifier, now: testClock(REPLAYED_AT).now, settings });
    await replayWith(burstApp, [burstDir]);
    const rollup = burstNotifier.sent.find((n) => n.transition === 'rollup')!;
    expect(rollup.rollup!.count).toBe(3);

    const digestStore = (await replayFiles([EVENTS])).storage.findings;
    const digest = buildDigest(
      await digestStore.listFindings({ area: 'network' }),
      new Date('2025-03-04T00:00:00Z'),
      new Date('2025-03-05T00:00:00Z'),
    );

    const samples: Record<string, string> = {
      email: textOf(opened!),
      json: JSON.stringify(jsonOf(opened!), null, 2),
      rollup: textOf(rollup),
      chatbot: JSON.stringify(chatbotNotificationOf(opened!), null, 2),
      pagerduty: JSON.stringify(pagerDutyEventOf(opened!, '<integration key>'), null, 2),
      digest: digestTextOf(digest),
    };
    let readme = readFileSync(README, 'utf8');
    for (const [name, body] of Object.entries(samples)) {
      const pattern = new RegExp(
        `(<!-- notification-samples:${name} -->\\n\`\`\`[a-z]*\\n)([\\s\\S]*?\\n)?(\`\`\`\\n<!-- /notification-samples:${name} -->)`,
      );
      expect(readme).toMatch(pattern);
      if (process.env.TRAILWARDEN_UPDATE_README === '1')
        readme = readme.replace(pattern, (_m, open: string, _old: string, close: string) => `${open}${body}\n${close}`);
      else expect(pattern.exec(readme)![2]).toBe(`${body}\n`);
    }
    if (process.env.TRAILWARDEN_UPDATE_README === '1') writeFileSync(README, readme);
  });
});
