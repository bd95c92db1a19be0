/**
 * Issue 12, secrets in free text: a `password=…`, `token=…`, `Authorization: Bearer …` (and the like)
 * inside a user agent, a message or any string field is masked — only the value, the key and the rest
 * of the text kept — before anything is stored or sent: not in the database, the notifications, the
 * exports or the API's answers. Ordinary user agents (the labelled corpus and the bulk sample of
 * real CloudTrail records) are left exactly as they are.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MASK, maskSecrets } from '../../shared/core/findings/mask';
import { notificationOf, textOf } from '../../shared/core/notifications/notification';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import { ALL_CONTROLS } from '../../shared/core/controls';
import type { Application } from '../../shared/app/compose';
import type { Finding } from '../../shared/core/findings/finding';
import { testApplication } from '../support/application';
import { runCli } from '../support/cli';
import { testClock } from '../support/clock';
import { testFinding } from '../support/findings';
import { serve, type ApiClient } from '../api/server';
import { CORPUS_FILE } from '../support/corpus';

describe('masking key=value secrets inside free text', () => {
  it.each([
    ['password=', 'aws-cli/2.15.30 password=hunter2 os/linux', 'aws-cli/2.15.30 password=**** os/linux'],
    ['passwd= and pwd=', 'passwd=hunter2;MYSQL_PWD=root', 'passwd=****;MYSQL_PWD=****'],
    ['secret= and client_secret=', 'secret=s3 client_secret=abc&client_id=app', 'secret=**** client_secret=****&client_id=app'],
    ['token= and access_token=', 'token=abc123&access_token=xyz', 'token=****&access_token=****'],
    [
      'api_key=, apikey=, api-key: and x-api-key:',
      'api_key=a apikey=b api-key: c x-api-key:d',
      'api_key=**** apikey=**** api-key: **** x-api-key:****',
    ],
    ['private_key=', 'private_key=abc', 'private_key=****'],
    ['auth= and credentials=', 'auth=xyz credentials=user:pass', 'auth=**** credentials=****'],
    ['sig= and signature=', 'sv=2020&sig=abc%3D&se=x signature=f00', 'sv=2020&sig=****&se=x signature=****'],
    ['a command-line flag', 'mysql --user=app --password=hunter2 db', 'mysql --user=app --password=**** db'],
    [
      'a prefixed or camel-case key',
      'DB_PASSWORD=x dbPassword=y AWS_SESSION_TOKEN=z',
      'DB_PASSWORD=**** dbPassword=**** AWS_SESSION_TOKEN=****',
    ],
    ['quoted values', `password="hunter 2" token='abc'`, `password="****" token='****'`],
    ['JSON text', '{"password": "hunter2", "user": "bob"}', '{"password": "****", "user": "bob"}'],
    ['JSON inside a JSON string', '{\\"token\\":\\"abc\\"}', '{\\"token\\":\\"****\\"}'],
    ['Authorization: Bearer', 'Authorization: Bearer abc.def.ghi', 'Authorization: Bearer ****'],
    ['Authorization: Basic', 'authorization: Basic dXNlcjpwYXNz', 'authorization: Basic ****'],
    ['a quoted header', '{"Authorization": "Bearer xyz"}', '{"Authorization": "Bearer ****"}'],
    ['a bearer token standing alone', 'sent bearer 0123456789abcdef0123 twice', 'sent bearer **** twice'],
    [
      'a presigned URL: the signature and session token, not the credential scope',
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=EXAMPLEKEYID1234%2F20250304%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=0123abcd&X-Amz-Security-Token=FQoGZXIvYXdzE',
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=EXAMPLEKEYID1234%2F20250304%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=****&X-Amz-Security-Token=****',
    ],
    [
      'a SigV4 Authorization header',
      'Authorization: AWS4-HMAC-SHA256 Credential=EXAMPLEKEYID1234/20250304/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=fe5f80f7',
      'Authorization: AWS4-HMAC-SHA256 Credential=EXAMPLEKEYID1234/20250304/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=****',
    ],
  ])('masks the value of %s, keeping the key and the rest', (_what, text, masked) => {
    expect(maskSecrets(text)).toBe(masked);
    expect(maskSecrets({ userAgent: text, nested: [{ message: text }] })).toEqual({ userAgent: masked, nested: [{ message: masked }] });
  });

  it.each([
    [
      'an AWS CLI user agent',
      'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.79 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe prompt/off command/ec2',
    ],
    [
      'a boto3 user agent',
      'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
    ],
    [
      'a Terraform user agent',
      'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.151.0',
    ],
    ['console user agents', 'AWS Internal'],
    ['a browser', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36'],
    ['a service', 'secretsmanager.amazonaws.com'],
    ['a secret ARN', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf'],
    ['a parameter path', 'arn:aws:ssm:us-east-1:111122223333:parameter/app/db-password:3'],
    ['an OIDC condition key', 'token.actions.githubusercontent.com:aud'],
    ['pagination and idempotency tokens', 'nextToken=abc NextToken: xyz clientToken=123'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell reference to a secret, not a template
    ['a reference to a secret', 'password=${DB_PASSWORD} token={{resolve:secretsmanager:app}}'],
    ['a working directory', 'PWD=/home/ec2-user'],
    ['flags about secrets', 'passwordResetRequired=true tokenType: bearer secretId=prod/db'],
    ['a value already masked', 'password=****'],
    ['prose', 'The author rotated the signing process; tokens expire daily.'],
  ])('leaves %s alone', (_what, text) => {
    expect(maskSecrets(text)).toBe(text);
  });

  it('masks again nothing it masked once, and still masks whole strings shaped like a secret', () => {
    const once = maskSecrets('password=hunter2 token=abc');
    expect(maskSecrets(once)).toBe(once);
    expect(maskSecrets('ua with AKIAIOSFODNN7EXAMPLE inside')).toBe(MASK);
  });

  it('masks notification text built from a finding with a secret in its message and resource', () => {
    const finding = testFinding({
      resourceId: 'bucket?token=abc123',
      message: 'Connection string Server=db;Password=hunter2;',
      evidence: { ...testFinding().evidence, userAgent: 'curl/8 password=hunter2' },
    });
    const notification = notificationOf('opened', finding, ALL_CONTROLS[0]!);
    const text = textOf(notification);
    expect(text).not.toMatch(/hunter2|abc123/);
    expect(text).toContain('bucket?token=****');
    expect(text).toContain('Server=db;Password=****;');
  });
});

/** The external corpus (../shared/corpus, or the directory of $TRAILWARDEN_CORPUS): its events.jsonl and bulk/*.gz. */
const CORPUS = dirname(CORPUS_FILE);

/** Every userAgent of the labelled corpus and of the bulk sample of real CloudTrail records. */
function corpusUserAgents(): string[] {
  const agents: string[] = [];
  const add = (record: unknown) => {
    const r = record as { userAgent?: unknown; detail?: { userAgent?: unknown } } | null;
    const agent = r?.userAgent ?? r?.detail?.userAgent;
    if (typeof agent === 'string') agents.push(agent);
  };
  for (const line of readFileSync(join(CORPUS, 'events.jsonl'), 'utf8').split('\n')) {
    if (line.trim()) add((JSON.parse(line) as { event: unknown }).event);
  }
  const bulk = join(CORPUS, 'bulk');
  for (const file of existsSync(bulk) ? readdirSync(bulk).filter((name) => name.endsWith('.gz')) : []) {
    for (const line of gunzipSync(readFileSync(join(bulk, file)))
      .toString('utf8')
      .split('\n'))
      if (line.trim()) add(JSON.parse(line));
  }
  return agents;
}

describe('no false positive on real user agents', () => {
  if (!existsSync(join(CORPUS, 'events.jsonl'))) {
    it(`is not measured: the corpus is absent at ${CORPUS} (set TRAILWARDEN_CORPUS to its events.jsonl)`, () => undefined);
    return;
  }
  it('changes none of the user agents of the labelled corpus and the bulk sample', () => {
    const agents = corpusUserAgents();
    expect(agents.length).toBeGreaterThan(3_000);
    expect(agents.filter((agent) => maskSecrets(agent) !== agent)).toEqual([]);
  });
});

describe('a userAgent with password=hunter2 and token=… is stored and sent masked', () => {
  const SAMPLE = resolve(__dirname, '../../events/network/security-group-open-to-internet/1-violating-ssh-ipv4.json');
  const AGENT = 'aws-cli/2.15.30 password=hunter2 token=tok3n-0123456789abcdef os/linux';
  const MASKED = 'aws-cli/2.15.30 password=**** token=**** os/linux';
  const CLEAR = /hunter2|tok3n-0123456789abcdef/;
  let dir: string;
  let db: string;
  let sent: string;
  let app: Application;
  let api: ApiClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trailwarden-secrets-'));
    db = join(dir, 'findings.db');
    sent = join(dir, 'sent.jsonl');
    const record = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ ...record, userAgent: AGENT }));
    const replay = await runCli(['replay', join(dir, 'event.json'), '--db', db, '--notify', `jsonl:${sent}`]);
    expect(replay.code).toBe(0);
    expect(`${replay.stdout}${replay.stderr}`).not.toMatch(CLEAR);
    app = testApplication({ storage: openSqliteStorage(db), notifier: 'deferred', now: testClock('2026-03-10T12:00:00.000Z').now });
    api = await serve({ app, actor: 'local:tester', staticDir: join(dir, 'none'), sweepIntervalMs: 3_600_000 });
  });
  afterAll(async () => {
    await api?.running.stop();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('not in the database (SQLite), not in any of its files', async () => {
    const [finding] = await app.storage.findings.listFindings({ controlId: 'network.security-group-open-to-internet' });
    expect(finding?.evidence.userAgent).toBe(MASKED);
    for (const file of readdirSync(dir).filter((name) => name.startsWith('findings.db'))) {
      expect(readFileSync(join(dir, file)).toString('latin1')).not.toMatch(CLEAR);
    }
  });

  it('not in the notifications (JSON Lines sink)', () => {
    const lines = readFileSync(sent, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect((JSON.parse(lines[0]!) as { userAgent: string }).userAgent).toBe(MASKED);
    expect(lines.join('\n')).not.toMatch(CLEAR);
  });

  it.each(['json', 'csv', 'ocsf', 'asff', 'table'])('not in the %s export of `trailwarden findings`', async (format) => {
    const result = await runCli(['findings', '--db', db, '--format', format]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(CLEAR);
    if (format === 'json') expect((JSON.parse(result.stdout) as Finding[])[0]!.evidence.userAgent).toBe(MASKED);
  });

  it('not in the API answers: findings, one finding, exports', async () => {
    const list = await api.get<{ findings: Finding[] }>('/api/findings');
    expect(list.status).toBe(200);
    expect(list.text).not.toMatch(CLEAR);
    const id = list.body.findings.find((f) => f.controlId === 'network.security-group-open-to-internet')!.id;
    const one = await api.get<{ finding: Finding }>(`/api/findings/${id}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain(MASKED);
    expect(one.text).not.toMatch(CLEAR);
    for (const format of ['json', 'csv', 'ocsf', 'asff']) {
      const exported = await api.get(`/api/export?format=${format}`);
      expect(exported.status).toBe(200);
      expect(exported.text).not.toMatch(CLEAR);
    }
  });
});
