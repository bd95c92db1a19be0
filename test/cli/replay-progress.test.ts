/**
 * The replay's progress on a terminal (cli-progress, drawn on standard error): a stream that says it is
 * a terminal (isTTY, columns) stands in for one, and what is drawn on it is read back as text. That
 * nothing is drawn off a terminal or with --json is the CLI tests' concern (their stderr holds no bar).
 */
import { PassThrough } from 'node:stream';
import { lookupProgress, replayProgress } from '../../shared/shells/cli/replay-progress';

/** A writable that says it is a 120-column terminal, and the text written to it (escape sequences removed). */
function fakeTerminal(): { stream: NodeJS.WritableStream; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number };
  stream.isTTY = true;
  stream.columns = 120;
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '') };
}

describe('replay progress on a terminal', () => {
  it('shows the objects done of the total, the events and their rate', () => {
    const terminal = fakeTerminal();
    const counts = { listed: 4, alreadyDone: 1, listingDone: true } as Parameters<typeof replayProgress>[1];
    const progress = replayProgress(terminal.stream, counts);
    for (let i = 0; i < 30; i += 1) progress.event();
    progress.objectDone();
    progress.objectDone();
    progress.stop();
    expect(terminal.text()).toMatch(/2\/3 objects \| 30 events \| \d+ events\/s \| ETA/);
  });

  it('shows how far back in the period the LookupEvents pages reached, over all regions', () => {
    // cli-progress redraws on a timer: the test's clock moves it.
    jest.useFakeTimers();
    const terminal = fakeTerminal();
    const period = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-11T00:00:00Z') };
    const progress = lookupProgress(terminal.stream, period, ['us-east-1', 'eu-west-1']);
    // Newest first: us-east-1 has read back to day 5 of 10 (half its period), eu-west-1 nothing yet.
    progress.page({ region: 'us-east-1', events: 50, oldest: new Date('2026-01-06T00:00:00Z') });
    progress.page({ region: 'eu-west-1', events: 0 });
    jest.advanceTimersByTime(500);
    const drawn = terminal.text();
    progress.stop();
    jest.useRealTimers();
    expect(drawn).toMatch(/lookup-events .* 25% of the period \| 2 pages \| 50 events/);
    expect(terminal.text()).toMatch(/100% of the period/);
  });

  it('draws nothing without a terminal', () => {
    const silent = lookupProgress(undefined, { start: new Date(0), end: new Date(1) }, ['us-east-1']);
    expect(() => {
      silent.page({ region: 'us-east-1', events: 1 });
      silent.stop();
    }).not.toThrow();
  });
});
