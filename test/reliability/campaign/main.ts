/**
 * `npm run reliability [-- --events N] [-- --sections intake,text,crash,writers,api] [-- --output FILE]`:
 * the reliability campaign. Tries the CLI and the local API the way an attacker or an unlucky day
 * would — crafted input, SIGKILL in the middle of a replay, two writers on one database, abuse and
 * load on the API — and writes what it expected and observed to docs/reliability.md. Exit 1 when a
 * case is not as expected.
 */
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleCli, ROOT } from '../../support/cli-process';
import { generateEvents } from '../../support/generated-events';
import { apiSection } from './api';
import { render, type Section } from './cases';
import { crashSection } from './crash';
import { intakeSection } from './intake';
import { textSection } from './text';
import { writersSection } from './writers';

const SECTIONS = ['intake', 'text', 'crash', 'writers', 'api'] as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      events: { type: 'string', default: '50000' },
      'large-document': { type: 'string', default: '300000' },
      sections: { type: 'string', default: SECTIONS.join(',') },
      output: { type: 'string', default: join(ROOT, 'docs/reliability.md') },
    },
  });
  const events = Number(values.events);
  const largeDocumentEvents = Number(values['large-document']);
  if (!Number.isInteger(events) || events < 1000) throw new Error(`--events ${values.events}: expected a whole number ≥ 1000`);
  if (!Number.isInteger(largeDocumentEvents) || largeDocumentEvents < 1000) {
    throw new Error(`--large-document ${values['large-document']}: expected a whole number ≥ 1000`);
  }
  const chosen = values.sections.split(',').filter(Boolean);
  const unknown = chosen.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--sections: unknown ${unknown.join(', ')} (known: ${SECTIONS.join(', ')})`);

  const started = new Date();
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-reliability-'));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    log('bundling the CLI from the sources…');
    const cli = await bundleCli();
    const samplesDir = join(ROOT, 'events');
    // Recent times (a day ago, one event a second): no remediation deadline passes while the runs compare.
    const times = { start: new Date(Date.now() - 86_400_000), stepMs: 1000 };
    const area = (name: string) => {
      const path = join(dir, name);
      mkdirSync(path, { recursive: true });
      return path;
    };
    const sections: Section[] = [];
    for (const name of chosen) {
      log(`${name}…`);
      const begun = Date.now();
      if (name === 'intake') sections.push(await intakeSection({ cli, dir: area('intake'), largeDocumentEvents }));
      if (name === 'text') sections.push(await textSection({ cli, dir: area('text') }));
      if (name === 'crash') {
        const generated = generateEvents(events, { samplesDir, dir: join(area('crash'), 'input'), times });
        sections.push(await crashSection({ cli, dir: area('crash'), events: generated, killPoints: [0.1, 0.25, 0.55, 0.85, 0.97] }));
      }
      if (name === 'writers') {
        const half = Math.round(events / 2);
        const inputs: [ReturnType<typeof generateEvents>, ReturnType<typeof generateEvents>] = [
          generateEvents(half, { samplesDir, dir: join(area('writers'), 'a'), accountBase: 100_000_000_000, firstId: 0, times }),
          generateEvents(half, { samplesDir, dir: join(area('writers'), 'b'), accountBase: 500_000_000_000, firstId: 10_000_000, times }),
        ];
        sections.push(await writersSection({ cli, dir: area('writers'), inputs, small: join(samplesDir, 'network') }));
      }
      if (name === 'api') sections.push(await apiSection({ cli, dir: area('api') }));
      const last = sections[sections.length - 1]!;
      const failed = last.cases.filter((c) => !c.passed).length;
      log(`${name}: ${last.cases.length} cases, ${failed} not as expected (${((Date.now() - begun) / 1000).toFixed(0)} s)`);
    }
    const machine = `Node ${process.version}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB`;
    const options = `--events ${events} --large-document ${largeDocumentEvents} --sections ${chosen.join(',')}`;
    const seconds = (Date.now() - started.getTime()) / 1000;
    writeFileSync(values.output, render(sections, { startedAt: started.toISOString(), seconds, machine, options }));
    const all = sections.flatMap((s) => s.cases);
    const failed = all.filter((c) => !c.passed);
    log(`${all.length} cases, ${all.length - failed.length} as expected, ${failed.length} not; written to ${values.output}`);
    for (const c of failed) log(`NOT AS EXPECTED: ${c.name}: expected ${c.expected}; observed ${c.observed}`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`reliability: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
