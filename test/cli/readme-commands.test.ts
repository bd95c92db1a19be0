/**
 * README.md's command reference is generated from the commands' definitions: this test fails when it is
 * stale. `TRAILWARDEN_UPDATE_README=1 npx jest test/cli/readme-commands.test.ts` rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COMMANDS } from '../../shared/shells/cli/main';
import { COMMANDS_BEGIN, COMMANDS_END, renderCommandReference, withCommandReference } from '../../shared/shells/cli/command-table';

const README = join(resolve(__dirname, '../..'), 'README.md');

describe('README command reference', () => {
  const readme = readFileSync(README, 'utf8');
  const expected = withCommandReference(readme, renderCommandReference(COMMANDS));

  it('is the one generated from the command definitions (regenerate: TRAILWARDEN_UPDATE_README=1)', () => {
    if (process.env.TRAILWARDEN_UPDATE_README === '1' && expected !== readme) writeFileSync(README, expected);
    expect(readme).toBe(expected);
  });

  it('has a row for every command with each of its options, and every exit code', () => {
    const reference = readme.slice(readme.indexOf(COMMANDS_BEGIN), readme.indexOf(COMMANDS_END));
    for (const command of COMMANDS) {
      const row = reference.split('\n').find((line) => line.startsWith(`| \`${command.name}`));
      expect(row).toBeDefined();
      for (const option of Object.keys(command.options)) expect(row).toContain(`\`--${option}`);
    }
    for (const code of [0, 1, 2, 3, 75]) expect(reference).toContain(`| ${code} |`);
  });

  it('a change to a definition makes it stale', () => {
    const changed = COMMANDS.map((command, i) => (i === 0 ? { ...command, summary: `${command.summary}, changed` } : command));
    expect(withCommandReference(readme, renderCommandReference(changed))).not.toBe(expected);
  });
});
