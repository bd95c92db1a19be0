/**
 * Issue 12, terminal injection: control characters (C0, DEL, C1, ESC sequences) and bidi overrides
 * an event carries never reach a person's screen raw — console sink, notification subjects and
 * bodies, Chatbot and PagerDuty text, the digest, CSV exports, Markdown reports and the CLI's
 * tables show them as visible escapes (`\x1b`, `\u202e`). JSON stays exact data. Only what existed
 * before the fix is imported, so every test here runs (and failed) on the code without it; the
 * escape function itself is tested in text.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jsonOf, notificationOf, rollupNotificationOf, subjectOf, textOf } from '../../shared/core/notifications/notification';
import { buildDigest, digestTextOf } from '../../shared/core/notifications/digest';
import { chatbotNotificationOf } from '../../shared/core/notifications/chatbot';
import { pagerDutyEventOf } from '../../shared/core/notifications/pagerduty';
import { ConsoleNotifier } from '../../shared/adapters/notify/console-notifier';
import { csvField, exportFindings } from '../../shared/app/exports';
import { escapeMarkdown } from '../../shared/app/reports';
import { renderTable } from '../../shared/shells/cli/table';
import { renderFindingsTable } from '../../shared/shells/cli/findings-command';
import { ALL_CONTROLS } from '../../shared/core/controls';
import type { RollupWindow } from '../../shared/core/notifications/rollup';
import { testFinding } from '../support/findings';
import { runCli } from '../support/cli';
import { parseCsv } from '../export/fixtures';
import { BEL, CSI, ESC, HOSTILE, RLO, SHOWN } from '../support/hostile-text';

/** Any character that acts on a terminal or reorders text, raw. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const control = ALL_CONTROLS.find((c) => c.id === 'network.security-group-open-to-internet')!;

const hostileFinding = testFinding({
  resourceId: `sg-0abc${HOSTILE}`,
  message: `Security group sg-0abc${HOSTILE} opens tcp/22 (SSH) to 0.0.0.0/0\nSeverity: LOW (forged line)`,
  evidence: {
    eventId: 'e1',
    eventTime: '2026-03-01T10:00:00.000Z',
    detailType: 'AWS API Call via CloudTrail',
    fields: {},
    userAgent: `aws-cli/2.15.30 ${HOSTILE}`,
    sourceIp: '203.0.113.24',
    actor: { arn: `arn:aws:sts::111122223333:assumed-role/Admin/${ESC}[8m` },
  },
});

describe('notifications carry no raw control character', () => {
  const notification = notificationOf('opened', hostileFinding, control, { findingsUrl: 'https://tw.example.com' });

  it('subject: one line, escapes visible', () => {
    expect(notification.subject).not.toMatch(RAW);
    expect(notification.subject).not.toMatch(/\n/);
    const short = subjectOf('opened', { ...hostileFinding, resourceId: `sg-1${ESC}[2J${RLO}` });
    expect(short).toBe(String.raw`[HIGH] network: Security group ingress open to the i… on sg-1\x1b[2J\u202e (111122223333/eu-west-1)`);
  });

  it('text body: every value escaped, a line break in a value cannot forge a line', () => {
    const text = textOf(notification);
    expect(text).not.toMatch(RAW);
    expect(text).toContain(`(aws-cli/2.15.30 ${SHOWN})`);
    expect(text).toContain(String.raw`0.0.0.0/0\nSeverity: LOW (forged line)`);
    expect(text.split('\n').filter((line) => line.startsWith('Severity:'))).toHaveLength(1);
    expect(text).toContain(String.raw`assumed-role/Admin/\x1b[8m`);
  });

  it('roll-up text: resource ids escaped', () => {
    const window: RollupWindow = {
      id: 'rollup/opened/network.security-group-open-to-internet/111122223333/2026-03-01T10:00:00.000Z',
      part: 1,
      kind: 'opened',
      controlId: control.id,
      area: 'network',
      account: '111122223333',
      windowStart: '2026-03-01T10:00:00.000Z',
      windowEnd: '2026-03-01T10:15:00.000Z',
      control,
      claimed: 6,
      held: 1,
      severity: 'CRITICAL',
      items: [
        {
          findingId: 'f9',
          eventId: 'e9',
          resourceId: `sg-9${HOSTILE}`,
          resourceType: 'AWS::EC2::SecurityGroup',
          region: 'us-east-1',
          severity: 'CRITICAL',
          at: '2026-03-01T10:01:00.000Z',
        },
      ],
      version: 1,
    } as RollupWindow;
    const text = textOf(rollupNotificationOf(window));
    expect(text).not.toMatch(RAW);
    expect(text).toContain(String.raw`sg-9\x1b[2J`);
  });

  it('Chatbot: title, description, summary and resources escaped', () => {
    const card = chatbotNotificationOf(notification);
    const shown = [
      card.content.title,
      card.content.description,
      card.metadata.summary,
      ...card.metadata.relatedResources,
      ...card.content.keywords,
    ];
    for (const text of shown) expect(text).not.toMatch(RAW);
    expect(card.content.description).toContain(String.raw`\x1b\]0;pwned\x07`);
  });

  it('PagerDuty: summary, component and details escaped', () => {
    const event = pagerDutyEventOf(notification, 'key');
    expect(JSON.stringify(event.payload)).not.toMatch(RAW);
    expect(event.payload!.summary).not.toMatch(RAW);
    expect(event.payload!.component).toBe(`sg-0abc${SHOWN}`);
    expect(event.payload!.custom_details.actor).toBe(String.raw`arn:aws:sts::111122223333:assumed-role/Admin/\x1b[8m`);
  });

  it('JSON for machines stays exact data (JSON.stringify escapes C0; C1 and bidi are valid JSON)', () => {
    const json = jsonOf(notification);
    expect(json.userAgent).toBe(`aws-cli/2.15.30 ${HOSTILE}`);
    expect(json.resourceId).toBe(`sg-0abc${HOSTILE}`);
    expect(JSON.stringify(json)).not.toMatch(/[\u0000-\u001f]/);
  });

  it('the console sink writes nothing raw, notifications and digests alike', async () => {
    let written = '';
    const sink = new ConsoleNotifier((text) => {
      written += text;
    });
    await sink.notify(notification);
    await sink.sendDigest(
      buildDigest([{ ...hostileFinding, severity: 'LOW' }], new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z')),
    );
    expect(written).not.toMatch(RAW);
    expect(written).toContain(SHOWN);
  });
});

describe('the digest text', () => {
  it('shows titles and resources with escapes, one line per finding', () => {
    const digest = buildDigest(
      [{ ...hostileFinding, severity: 'LOW', title: `Title\n    - [open] forged${ESC}[2J` }],
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-03-02T00:00:00Z'),
    );
    const text = digestTextOf(digest);
    expect(text).not.toMatch(RAW);
    expect(text).toContain(String.raw`Title\n    - [open] forged\x1b[2J on sg-0abc\x1b[2J`);
    expect(text.split('\n').filter((line) => line.startsWith('    - '))).toHaveLength(1);
  });
});

describe('CSV, Markdown and the CLI tables', () => {
  it('CSV cells: escapes for controls, formula neutralization and RFC 4180 quoting kept', () => {
    expect(csvField(`${ESC}[2J`)).toBe(String.raw`\x1b[2J`);
    expect(csvField(`=cmd${BEL}`)).toBe(String.raw`'=cmd\x07`);
    expect(csvField(`a,${CSI}b`)).toBe(String.raw`"a,\x9bb"`);
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    const { body } = exportFindings('csv', [hostileFinding], ALL_CONTROLS);
    expect(body.replaceAll('\r\n', '\n')).not.toMatch(RAW);
    const rows = parseCsv(body);
    expect(rows[1]![rows[0]!.indexOf('resource_id')]).toBe(`sg-0abc${SHOWN}`);
  });

  it('Markdown: escapes made visible, then Markdown-escaped', () => {
    expect(escapeMarkdown(`sg-1${ESC}[2J${RLO}`)).toBe(String.raw`sg-1\\x1b\[2J\\u202e`);
    expect(escapeMarkdown('a\nb')).toBe('a b');
  });

  it('tables: cells escaped, columns still aligned', () => {
    const table = renderTable(['A', 'B'], [[`x${ESC}[2J`, 'y']]);
    expect(table).not.toMatch(RAW);
    expect(table.split('\n')[2]).toBe(String.raw`x\x1b[2J  y`);
    const findings = renderFindingsTable([hostileFinding]);
    expect(findings).not.toMatch(RAW);
    expect(findings).toContain(`sg-0abc${SHOWN}`);
  });
});

describe('an event whose userAgent and group id hold ESC [2J, BEL, an OSC title, a C1 CSI and a bidi override', () => {
  const EVENTS = resolve(__dirname, '../../events/network');
  let dir: string;
  let db: string;
  let sent: string;
  let replay: { code: number; stdout: string; stderr: string };

  /** A sample event with the hostile user agent, on a hostile group id, as a file of its own. */
  function hostileEvent(sample: string, eventId: string): string {
    const record = JSON.parse(readFileSync(join(EVENTS, sample), 'utf8')) as Record<string, unknown>;
    const group = (record.requestParameters as { groupId: string }).groupId;
    const text = JSON.stringify({ ...record, eventID: eventId, userAgent: `aws-cli/2.15.30 ${HOSTILE}` }).replaceAll(
      group,
      `${group}${HOSTILE.replaceAll('\u0007', '\\u0007').replaceAll('\u001b', '\\u001b')}`,
    );
    return text;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trailwarden-inert-'));
    db = join(dir, 'findings.db');
    sent = join(dir, 'sent.jsonl');
    writeFileSync(
      join(dir, 'open.json'),
      hostileEvent('security-group-open-to-internet/1-violating-ssh-ipv4.json', '00000000-0000-4000-8000-000000000001'),
    );
    writeFileSync(
      join(dir, 'added.json'),
      hostileEvent('security-group-ingress-added/1-violating-partner-cidr.json', '00000000-0000-4000-8000-000000000002'),
    );
    replay = await runCli([
      'replay',
      join(dir, 'open.json'),
      join(dir, 'added.json'),
      '--db',
      db,
      '--notify',
      'console',
      '--notify',
      `jsonl:${sent}`,
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the console sink shows the escapes in the subject and the body', () => {
    expect(replay.code).toBe(0);
    expect(replay.stderr).toContain(`(aws-cli/2.15.30 ${SHOWN})`);
    expect(replay.stderr).toContain(`Where: account 111122223333, region us-east-1, AWS::EC2::SecurityGroup sg-0a1b2c3d4e5f60718${SHOWN}`);
    expect(replay.stderr).toMatch(/^\[CRITICAL\] network: .* \(111122223333\/us-east-1\)$/m);
    expect(replay.stderr).not.toMatch(RAW);
  });

  it('JSON Lines notifications keep the exact data', () => {
    const messages = readFileSync(sent, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { userAgent: string; subject: string });
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]!.userAgent).toBe(`aws-cli/2.15.30 ${HOSTILE}`);
    expect(messages[0]!.subject).not.toMatch(RAW);
  });

  it('the digest text, the CSV export and the findings table', async () => {
    const now = () => new Date('2025-07-01T00:00:00Z');
    const digest = await runCli(['digest', '--since', '2025-01-01', '--db', db], { now });
    expect(digest.code).toBe(0);
    expect(digest.stdout).toContain(String.raw`sg-0c4d5e6f708192a3b\x1b[2J\x07\x1b]0;pwned\x07 \x9b31m \u202eexe.txt`);
    expect(digest.stdout).not.toMatch(RAW);

    const csv = await runCli(['findings', '--db', db, '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain(SHOWN);
    expect(csv.stdout.replaceAll('\r\n', '\n')).not.toMatch(RAW);

    const table = await runCli(['findings', '--db', db]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`sg-0a1b2c3d4e5f60718${SHOWN}`);
    expect(table.stdout).not.toMatch(RAW);
  });
});
