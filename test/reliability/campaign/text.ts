/**
 * Text that reaches a person is inert, and secrets in free text never leave the event: a crafted
 * user agent (terminal escapes, a password, a token) replayed with a console and a JSON Lines sink,
 * then looked for in the database file, the sinks, the CLI's outputs and the API's answers.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStorage } from '../../../shared/adapters/store/sqlite';
import { startServer } from '../../../shared/shells/cli/serve-command';
import { testApplication } from '../../support/application';
import { ROOT, runCliProcess } from '../../support/cli-process';
import { section, type Section } from './cases';

const SECRETS = ['hunter2-campaign', 'tok3n-campaign-abc123', 'k3y-campaign-0987'];
const USER_AGENT = `curl/8.5 \u001b]0;pwned\u0007\u001b[2J\u202e password=${SECRETS[0]} token=${SECRETS[1]} api_key=${SECRETS[2]}`;
/** Characters that act on a terminal or reorder text: none may reach a person raw. */
const ACTING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export async function textSection({ cli, dir }: { cli: string; dir: string }): Promise<Section> {
  const result = section(
    'Inert text and masked secrets',
    `One event whose userAgent is "${USER_AGENT}" (ESC and BEL sequences that set the window title and clear the ` +
      'screen, a right-to-left override, and three `key=value` secrets), replayed into a SQLite file with the `console` and `jsonl:` sinks.',
  );
  const sample = JSON.parse(
    readFileSync(join(ROOT, 'events/network/security-group-open-to-internet/1-violating-ssh-ipv4.json'), 'utf8'),
  ) as Record<string, unknown>;
  const input = join(dir, 'crafted.json');
  writeFileSync(input, JSON.stringify({ Records: [{ ...sample, userAgent: USER_AGENT }] }));
  const db = join(dir, 'text.db');
  const sink = join(dir, 'text.jsonl');
  const replay = await runCliProcess(cli, ['replay', input, '--db', db, '--notify', 'console', '--notify', `jsonl:${sink}`]);
  const leaks = (text: string) => SECRETS.filter((secret) => text.includes(secret)).length;

  result.cases.push({
    name: 'the console sink',
    input: '`replay --notify console` (standard error)',
    expected: 'no control or bidi character raw (shown as \\x1b, \\u202e); secrets masked',
    observed: `exit ${replay.code}; raw acting characters: ${ACTING.test(replay.stderr) ? 'yes' : 'no'}; escapes shown: ${replay.stderr.includes('\\x1b]0;pwned\\x07') ? 'yes' : 'no'}; secrets: ${leaks(replay.stderr)}`,
    passed: replay.code === 0 && !ACTING.test(replay.stderr) && replay.stderr.includes('\\x1b]0;pwned\\x07') && leaks(replay.stderr) === 0,
  });
  const sent = readFileSync(sink, 'utf8');
  result.cases.push({
    name: 'the JSON Lines sink',
    input: '`--notify jsonl:FILE`',
    expected: 'secrets masked (password=****)',
    observed: `${sent.split('\n').filter(Boolean).length} messages; secrets: ${leaks(sent)}; masked form present: ${sent.includes('password=****') ? 'yes' : 'no'}`,
    passed: leaks(sent) === 0 && sent.includes('password=****'),
  });
  const stored = readdirSync(dir)
    .filter((name) => name.startsWith('text.db'))
    .map((name) => readFileSync(join(dir, name)).toString('latin1'))
    .join('');
  result.cases.push({
    name: 'the database file',
    input: 'every byte of text.db and its -wal/-shm files',
    expected: 'no secret stored',
    observed: `secrets found: ${leaks(stored)}`,
    passed: stored.length > 0 && leaks(stored) === 0,
  });
  for (const format of ['table', 'csv', 'json'] as const) {
    const listed = await runCliProcess(cli, ['findings', '--db', db, '--format', format]);
    // CSV ends its records with CRLF (RFC 4180): those are the format's, not an event's.
    const acting = format === 'json' ? false : ACTING.test(format === 'csv' ? listed.stdout.replace(/\r\n/g, '\n') : listed.stdout);
    result.cases.push({
      name: `\`findings --format ${format}\``,
      input: 'the finding of that event',
      expected: format === 'json' ? 'secrets masked (JSON escapes controls itself)' : 'no raw control or bidi character; secrets masked',
      observed: `exit ${listed.code}; raw acting characters: ${acting ? 'yes' : 'no'}; secrets: ${leaks(listed.stdout)}`,
      passed: listed.code === 0 && !acting && leaks(listed.stdout) === 0 && listed.stdout.length > 0,
    });
  }

  const app = testApplication({ storage: openSqliteStorage(db), notifier: 'deferred', now: () => new Date() });
  const token = 'campaign-token';
  const running = await startServer({ app, token, port: 0, staticDir: join(dir, 'none'), sweepIntervalMs: 3_600_000 });
  try {
    for (const path of ['/api/findings', '/api/export?format=csv', '/api/export?format=ocsf']) {
      const response = await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await response.text();
      const acting = path.includes('csv') && ACTING.test(body.replace(/\r\n/g, '\n'));
      result.cases.push({
        name: `\`GET ${path}\``,
        input: 'the finding of that event, through `serve`',
        expected: path.includes('csv') ? 'no raw control or bidi character in a cell; secrets masked' : 'secrets masked',
        observed: `${response.status}; ${path.includes('csv') ? `raw acting characters: ${acting ? 'yes' : 'no'}; ` : ''}secrets: ${leaks(body)}`,
        passed: response.status === 200 && !acting && leaks(body) === 0,
      });
    }
  } finally {
    await running.stop();
    await app.close();
  }

  // A rejection message naming a file whose name carries terminal escapes.
  const evilName = join(dir, 'evil\u001b]0;pwned\u0007.json');
  writeFileSync(evilName, '{"Records": [nope]}');
  const rejected = await runCliProcess(cli, ['replay', evilName, '--db', ':memory:']);
  result.cases.push({
    name: 'a rejection message naming a crafted file name',
    input: 'a broken file named evil<ESC>]0;pwned<BEL>.json',
    expected: 'the rejection names the file with its escapes visible, nothing raw',
    observed: `exit ${rejected.code}; raw acting characters: ${ACTING.test(rejected.stderr) ? 'yes' : 'no'}; ${rejected.stderr.split('\n')[0]!.replace(dir, '…').replace(ACTING, '<raw>')}`,
    passed: !ACTING.test(rejected.stderr) && rejected.stderr.includes('evil\\x1b]0;pwned\\x07.json'),
  });
  return result;
}
