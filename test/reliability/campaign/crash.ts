/**
 * Crash consistency: a replay killed with SIGKILL at several points and run again, against an
 * uninterrupted replay of the same generated events.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliProcess, startCli } from '../../support/cli-process';
import type { GeneratedEvents } from '../../support/generated-events';
import { differingFindings, recordedFindings, untilLines } from '../../support/replay-outcome';
import { compareNotifications, countNotifications, readSink } from '../../support/sink-messages';
import { section, type Section } from './cases';
import { measuredRun, s } from './processes';

export interface CrashInputs {
  cli: string;
  dir: string;
  events: GeneratedEvents;
  killPoints: readonly number[];
}

export async function crashSection({ cli, dir, events, killPoints }: CrashInputs): Promise<Section> {
  const result = section(
    'Crash consistency',
    `A replay of ${events.events.toLocaleString('en-US')} generated events (default settings: storm control rolls bursts up) into SQLite with a ` +
      '`jsonl:` sink, killed with SIGKILL once the sink held a given fraction of what an uninterrupted run sends, then run again on the same ' +
      'database and sink. Notifications are counted per finding and transition, alone or inside a roll-up; a roll-up sent again counts once.',
  );
  const args = (db: string, sink: string) => ['replay', events.dir, '--db', db, '--notify', `jsonl:${sink}`, '--json'];
  const baseDb = join(dir, 'base.db');
  const baseSink = join(dir, 'base.jsonl');
  const base = await measuredRun(cli, args(baseDb, baseSink));
  const baseMessages = readSink(baseSink).messages;
  const expected = countNotifications(baseMessages);
  const expectedFindings = await recordedFindings(baseDb);
  result.figures.push(
    ['uninterrupted replay', `${s(base.seconds)}, exit ${base.code}, peak RSS ${base.peakRssMb.toFixed(0)} MB`],
    ['messages sent by it', `${baseMessages.length} (${expected.rollups} roll-ups)`],
    ['finding notifications in them', `${[...expected.byFinding.values()].reduce((a, b) => a + b, 0)}`],
    ['findings recorded', `${expectedFindings.size}`],
  );

  for (const point of killPoints) {
    const db = join(dir, `crash-${point}.db`);
    const sink = join(dir, `crash-${point}.jsonl`);
    const killed = startCli(cli, args(db, sink));
    let exited = false;
    void killed.done.then(() => {
      exited = true;
    });
    await untilLines(sink, Math.round(baseMessages.length * point), () => exited);
    killed.child.kill('SIGKILL');
    const first = await killed.done;
    const linesAtKill = readSink(sink).messages.length;
    const rerun = await runCliProcess(cli, args(db, sink));
    const contents = readSink(sink);
    const { lost, unexpected, duplicated } = compareNotifications(expected, countNotifications(contents.messages));
    const differing = differingFindings(await recordedFindings(db), expectedFindings);
    result.cases.push({
      name: `killed at ${Math.round(point * 100)} % and run again`,
      input: `SIGKILL after ${linesAtKill} of ${baseMessages.length} messages (${first.signal ?? `exit ${first.code}`}); rerun exit ${rerun.code}`,
      expected: '0 lost, at most 1 duplicated, no partial or broken line, the same findings',
      observed:
        `${lost.length} lost, ${duplicated} duplicated, ${unexpected.length} unexpected, partial last line: ${contents.partialLastLine ? 'yes' : 'no'}, ` +
        `broken lines: ${contents.brokenLines}, findings differing: ${differing}`,
      passed:
        first.signal === 'SIGKILL' &&
        rerun.code === 0 &&
        lost.length === 0 &&
        unexpected.length === 0 &&
        duplicated <= 1 &&
        !contents.partialLastLine &&
        contents.brokenLines === 0 &&
        differing === 0,
    });
  }

  const againSink = join(dir, 'again.jsonl');
  const again = await runCliProcess(cli, args(baseDb, againSink));
  const againSent = readSink(againSink).messages.length;
  result.cases.push({
    name: 'the same events replayed again',
    input: 'a second replay of the uninterrupted run’s input on its database',
    expected: '0 notifications (no deadline escalation left for a later run)',
    observed: `exit ${again.code}, ${againSent} notifications`,
    passed: again.code === 0 && againSent === 0,
  });

  const partialDb = join(dir, 'partial.db');
  const partialSink = join(dir, 'partial.jsonl');
  writeFileSync(
    partialSink,
    '{"transition":"opened","findingId":"whole","dedupKey":"a"}\n{"transition":"opened","findingId":"cut-in-the-mi',
  );
  const repaired = await runCliProcess(cli, ['replay', events.files[0]!, '--db', partialDb, '--notify', `jsonl:${partialSink}`]);
  const after = readSink(partialSink);
  result.cases.push({
    name: 'a sink left with a half-written line',
    input: 'a jsonl sink whose last line a killed append cut, then a replay appending to it',
    expected: 'the cut line removed before the first append; every line whole JSON',
    observed: `exit ${repaired.code}, ${after.messages.length} lines, broken: ${after.brokenLines}, cut line kept: ${after.messages.some((m) => m.findingId === 'cut-in-the-mi') ? 'yes' : 'no'}`,
    passed: repaired.code === 0 && after.brokenLines === 0 && !after.partialLastLine && after.messages[0]?.findingId === 'whole',
  });
  rmSync(partialDb, { force: true });
  return result;
}
