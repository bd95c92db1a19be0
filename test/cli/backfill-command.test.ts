/**
 * `trailwarden backfill` against a small Step Functions endpoint on 127.0.0.1 speaking the service's
 * JSON 1.0 protocol (POST /, `X-Amz-Target: AWSStepFunctions.<Operation>`, `application/x-amz-json-1.0`,
 * errors as `{ "__type", "message" }` with status 400: the protocol @aws-sdk/client-sfn uses,
 * AwsJson1_0Protocol with serviceTarget "AWSStepFunctions"), driven by the real SFN client through
 * --endpoint-url.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backfillPrefixes, datePathOf } from '../../shared/shells/cli/backfill-command';
import { runCli } from '../support/cli';

const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:trailwarden-prod-backfill';
const NOW = new Date('2026-11-29T10:07:00.000Z');

interface Call {
  target: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/** The endpoint: each execution reports RUNNING `runningPolls` times, then `finalStatus`. */
function stepFunctions(options: { finalStatus: string; runningPolls: number }) {
  const calls: Call[] = [];
  const polls = new Map<string, number>();
  let started = 0;
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      calls.push({ target, contentType: req.headers['content-type'], body });
      if (req.method !== 'POST' || req.url !== '/') return answer(res, 404, { __type: 'UnknownOperationException' });
      switch (target) {
        case 'AWSStepFunctions.StartExecution': {
          if (body.stateMachineArn !== STATE_MACHINE) {
            return answer(res, 400, {
              __type: 'com.amazonaws.sfn#StateMachineDoesNotExist',
              message: `State Machine Does Not Exist: '${body.stateMachineArn}'`,
            });
          }
          started += 1;
          return answer(res, 200, {
            executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:run-${started}`,
            startDate: NOW.getTime() / 1000,
          });
        }
        case 'AWSStepFunctions.DescribeExecution': {
          const seen = polls.get(body.executionArn) ?? 0;
          polls.set(body.executionArn, seen + 1);
          const status = seen < options.runningPolls ? 'RUNNING' : options.finalStatus;
          return answer(res, 200, {
            executionArn: body.executionArn,
            stateMachineArn: STATE_MACHINE,
            status,
            startDate: NOW.getTime() / 1000,
            ...(status === 'FAILED'
              ? { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' }
              : {}),
          });
        }
        case 'AWSStepFunctions.ListMapRuns':
          return answer(res, 200, {
            mapRuns: [
              {
                executionArn: body.executionArn,
                mapRunArn: `${body.executionArn}/backfill:m1`,
                stateMachineArn: STATE_MACHINE,
                startDate: NOW.getTime() / 1000,
              },
            ],
          });
        case 'AWSStepFunctions.DescribeMapRun':
          return answer(res, 200, {
            mapRunArn: body.mapRunArn,
            executionArn: 'x',
            status: 'RUNNING',
            startDate: NOW.getTime() / 1000,
            maxConcurrency: 10,
            toleratedFailurePercentage: 5,
            toleratedFailureCount: 0,
            itemCounts: { pending: 0, running: 3, succeeded: 40, failed: 1, timedOut: 0, aborted: 0, total: 44, resultsWritten: 41 },
            executionCounts: { pending: 0, running: 1, succeeded: 2, failed: 0, timedOut: 0, aborted: 0, total: 3, resultsWritten: 2 },
          });
        default:
          return answer(res, 400, { __type: 'com.amazonaws.sfn#UnknownOperationException', message: target });
      }
    });
  });
  return {
    calls,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const saved = { ...process.env };
beforeAll(() => {
  // The SDK's default credential chain reads the process environment.
  process.env = { ...saved, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_PROFILE: '' };
});
afterAll(() => {
  process.env = saved;
});

const ENV = { TRAILWARDEN_TRAIL_BUCKET: 'org-trail-bucket', TRAILWARDEN_BACKFILL_POLL_MS: '5' };

describe('trailwarden backfill', () => {
  it('starts one execution per account and Region prefix with the period, prints their ARNs, and returns', async () => {
    const sfn = stepFunctions({ finalStatus: 'SUCCEEDED', runningPolls: 0 });
    const endpoint = await sfn.start();
    try {
      const result = await runCli(
        [
          'backfill',
          '--since',
          '10d',
          '--accounts',
          '111122223333,444455556666',
          '--regions',
          'eu-west-1',
          '--state-machine',
          STATE_MACHINE,
          '--endpoint-url',
          endpoint,
        ],
        { env: ENV, now: () => NOW },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toEqual([
        'arn:aws:states:us-east-1:111122223333:execution:trailwarden-prod-backfill:run-1',
        'arn:aws:states:us-east-1:111122223333:execution:trailwarden-prod-backfill:run-2',
      ]);
      expect(sfn.calls.map((call) => [call.target, call.contentType])).toEqual([
        ['AWSStepFunctions.StartExecution', 'application/x-amz-json-1.0'],
        ['AWSStepFunctions.StartExecution', 'application/x-amz-json-1.0'],
      ]);
      expect(sfn.calls.map((call) => [call.body.stateMachineArn, JSON.parse(call.body.input as string)])).toEqual([
        [
          STATE_MACHINE,
          {
            bucket: 'org-trail-bucket',
            prefix: 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/',
            since: '2026-11-19T10:07:00.000Z',
            until: '2026-11-29T10:07:00.000Z',
          },
        ],
        [
          STATE_MACHINE,
          {
            bucket: 'org-trail-bucket',
            prefix: 'AWSLogs/444455556666/CloudTrail/eu-west-1/2026/11/',
            since: '2026-11-19T10:07:00.000Z',
            until: '2026-11-29T10:07:00.000Z',
          },
        ],
      ]);
    } finally {
      await sfn.stop();
    }
  });

  it('--wait follows the executions and the map run until they end: 0 when all succeeded', async () => {
    const sfn = stepFunctions({ finalStatus: 'SUCCEEDED', runningPolls: 2 });
    const endpoint = await sfn.start();
    try {
      const result = await runCli(
        [
          'backfill',
          '--since',
          '2026-11-01T00:00:00Z',
          '--until',
          '2026-11-02T00:00:00Z',
          '--wait',
          '--state-machine',
          STATE_MACHINE,
          '--endpoint-url',
          endpoint,
        ],
        { env: ENV, now: () => NOW },
      );
      expect(result.code).toBe(0);
      expect(JSON.parse(sfn.calls[0]!.body.input as string)).toEqual({
        bucket: 'org-trail-bucket',
        prefix: 'AWSLogs/',
        since: '2026-11-01T00:00:00.000Z',
        until: '2026-11-02T00:00:00.000Z',
      });
      expect(sfn.calls.filter((call) => call.target === 'AWSStepFunctions.DescribeExecution')).toHaveLength(3);
      expect(result.stderr).toContain('40 succeeded, 1 failed, 3 running of 44 objects');
      expect(result.stderr).toContain('execution:trailwarden-prod-backfill:run-1: SUCCEEDED');
    } finally {
      await sfn.stop();
    }
  });

  it('--wait exits 1 when an execution failed, saying why', async () => {
    const sfn = stepFunctions({ finalStatus: 'FAILED', runningPolls: 0 });
    const endpoint = await sfn.start();
    try {
      const result = await runCli(['backfill', '--since', '30d', '--wait', '--state-machine', STATE_MACHINE, '--endpoint-url', endpoint], {
        env: ENV,
        now: () => NOW,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'FAILED (States.ExceedToleratedFailureThreshold: The specified tolerated failure threshold was exceeded)',
      );
    } finally {
      await sfn.stop();
    }
  });

  it('reports the service refusing the execution, and refuses bad usage before calling anything', async () => {
    const sfn = stepFunctions({ finalStatus: 'SUCCEEDED', runningPolls: 0 });
    const endpoint = await sfn.start();
    try {
      const other = STATE_MACHINE.replace('trailwarden-prod-backfill', 'other');
      const refused = await runCli(['backfill', '--since', '1d', '--state-machine', other, '--endpoint-url', endpoint], {
        env: ENV,
        now: () => NOW,
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('State Machine Does Not Exist');
      const calls = sfn.calls.length;
      for (const args of [
        ['--state-machine', STATE_MACHINE],
        ['--since', '1d'],
        ['--since', '1d', '--state-machine', 'not-an-arn'],
        ['--since', '1d', '--state-machine', STATE_MACHINE, '--regions', 'us-east-1'],
        ['--since', '1d', '--state-machine', STATE_MACHINE, '--accounts', '12'],
      ]) {
        const result = await runCli(['backfill', ...args, '--endpoint-url', endpoint], { env: ENV, now: () => NOW });
        expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
      }
      expect(sfn.calls.length).toBe(calls);
    } finally {
      await sfn.stop();
    }
  });
});

describe('backfill prefixes', () => {
  const day = (text: string) => Date.parse(text);
  it('narrow to the year or month the period (a day wider each side) lies in', () => {
    expect(datePathOf(day('2026-03-05T00:00:00Z'), day('2026-03-20T00:00:00Z'))).toBe('2026/03/');
    expect(datePathOf(day('2026-03-01T00:00:00Z'), day('2026-03-20T00:00:00Z'))).toBe('2026/');
    expect(datePathOf(day('2025-12-20T00:00:00Z'), day('2026-01-10T00:00:00Z'))).toBe('');
    expect(backfillPrefixes('AWSLogs/o-abc123def4/', ['111122223333'], undefined, 0, 1)).toEqual([
      'AWSLogs/o-abc123def4/111122223333/CloudTrail/',
    ]);
    expect(backfillPrefixes('AWSLogs/', undefined, undefined, 0, 1)).toEqual(['AWSLogs/']);
  });
});
