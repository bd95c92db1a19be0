/**
 * Done when: `trailwarden replay --lookup-events --since … --endpoint-url …`, run as users run it (the
 * bundled CLI in its own process), opens the same findings as a replay of the file the history came from.
 * The 2,900 records of the invictus-ir sample, served newest first within the real quota (2 requests/s), some
 * requests throttled: about 30 s.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { bundleCli, runCliProcess } from '../support/cli-process';
import { startLookupEventsEndpoint } from '../support/lookup-events-endpoint';

const CORPUS = '/work/shared/corpus/bulk/invictus-ir_aws_dataset_cloudtrail.jsonl.gz';
// NODE_NO_WARNINGS: the SDK's warning about Node 20 support would be the only difference on stderr.
const env = { AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1', NODE_NO_WARNINGS: '1' };

interface Listed {
  id: string;
  status: string;
  severity: string;
  count?: number;
}

function summaryOf(stdout: string): { id: string; status: string; severity: string; count: unknown }[] {
  return (JSON.parse(stdout) as Listed[])
    .map((f) => ({ id: f.id, status: f.status, severity: f.severity, count: f.count }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

test('replay --lookup-events opens the same findings as a replay of the same file', async () => {
  // Prepare
  const cli = await bundleCli();
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-lookup-cli-'));
  const lines = gunzipSync(readFileSync(CORPUS))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const endpoint = await startLookupEventsEndpoint({ records: lines, throttle: (_region, n) => n % 7 === 3 });
  try {
    // Act
    const file = await runCliProcess(cli, ['replay', CORPUS, '--db', join(dir, 'file.db'), '--json'], env);
    const history = await runCliProcess(
      cli,
      [
        'replay',
        '--lookup-events',
        '--since',
        '2023-07-10T00:00:00Z',
        '--regions',
        'us-east-1',
        '--endpoint-url',
        endpoint.endpoint,
        '--db',
        join(dir, 'lookup.db'),
        '--json',
      ],
      env,
    );
    // Assess
    expect(history.stderr).toBe(file.stderr);
    expect(history.code).toBe(0);
    expect(file.code).toBe(0);
    const fileSummary = JSON.parse(file.stdout) as { events: number; opened: number; resolved: number };
    const historySummary = JSON.parse(history.stdout) as typeof fileSummary;
    expect(historySummary).toEqual(fileSummary);
    expect(historySummary.events).toBe(2900);
    const fileFindings = await runCliProcess(cli, ['findings', '--db', join(dir, 'file.db'), '--format', 'json'], env);
    const historyFindings = await runCliProcess(cli, ['findings', '--db', join(dir, 'lookup.db'), '--format', 'json'], env);
    expect(summaryOf(historyFindings.stdout)).toEqual(summaryOf(fileFindings.stdout));
    expect(summaryOf(fileFindings.stdout).length).toBeGreaterThan(0);
    expect(endpoint.requests.filter((r) => r.throttled).length).toBeGreaterThan(0);
    expect(endpoint.requests.filter((r) => !r.throttled)).toHaveLength(58);
    expect(endpoint.quotaViolations()).toEqual([]);
  } finally {
    await endpoint.stop();
  }
}, 120_000);
