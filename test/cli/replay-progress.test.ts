/**
 * The replay's progress on a terminal (cli-progress, drawn on standard error): a stream that says it is
 * a terminal (isTTY, columns) stands in for one, and what is drawn on it is read back as text. That
 * nothing is drawn off a terminal or with --json is the CLI tests' concern (their stderr holds no bar).
 */
import { PassThrough } from 'node:stream';
import { join, resolve } from 'node:path';
import { readEvents } from '../../shared/adapters/intake';
import { localFiles } from '../../shared/shells/cli/local-replay-input';
import { localProgress, lookupProgress, replayProgress, sizeText } from '../../shared/shells/cli/replay-progress';

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

  it("shows a local replay's files and bytes done of the total, its events and their rate", () => {
    // cli-progress redraws on a timer: the test's clock moves it.
    jest.useFakeTimers();
    const terminal = fakeTerminal();
    const files = [
      { path: 'a.json', bytes: 1000 },
      { path: 'empty.json', bytes: 500 },
      { path: 'b.json.gz', bytes: 2500 },
    ];
    const progress = localProgress(terminal.stream, files, 0);
    for (let i = 0; i < 5; i += 1) progress.event('a.json');
    // An event of b: a and the empty file before it are done.
    progress.event('b.json.gz');
    jest.advanceTimersByTime(500);
    const drawn = terminal.text();
    progress.stop();
    jest.useRealTimers();
    expect(drawn).toMatch(/replay .* 37% \| 2\/3 files \| 1\.5 kB\/4\.0 kB \| 6 events \| \d+ events\/s \| ETA/);
    expect(terminal.text()).toMatch(/100% \| 3\/3 files \| 4\.0 kB\/4\.0 kB \| 6 events/);
  });

  it('draws nothing for a local replay shorter than the threshold, or off a terminal', () => {
    const terminal = fakeTerminal();
    const short = localProgress(terminal.stream, [{ path: 'a.json', bytes: 1000 }]);
    short.event('a.json');
    short.stop();
    expect(terminal.text()).toBe('');
    const off = localProgress(undefined, [{ path: 'a.json', bytes: 1000 }], 0);
    expect(() => {
      off.event('a.json');
      off.stop();
    }).not.toThrow();
  });

  it("lists a local replay's files in the order the intake reads them, with their sizes", async () => {
    const network = resolve(__dirname, '../../events/network');
    const listed = await localFiles([network, '-']);
    expect(listed.length).toBeGreaterThan(10);
    expect(listed.every((file) => file.bytes > 0)).toBe(true);
    const read: string[] = [];
    for await (const item of readEvents([network])) if (read[read.length - 1] !== item.where.file) read.push(item.where.file);
    expect(read).toEqual(listed.map((file) => file.path).filter((path) => read.includes(path)));
    expect(read.length).toBeGreaterThan(listed.length / 2);
    expect(listed[0]!.path.startsWith(join(network, ''))).toBe(true);
    expect(sizeText(12_500_000)).toBe('12.5 MB');
  });
});
