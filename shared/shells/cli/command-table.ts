/**
 * The README's command reference, generated from the commands' definitions (command-line.ts), so the two
 * cannot drift: test/cli/readme-commands.test.ts fails when README.md's copy is stale, and rewrites it with
 * TRAILWARDEN_UPDATE_README=1.
 */
import { type CommandSpec, optionSynopsis } from './command-line';
import { EXIT_CODES } from './exit-codes';

/** The markers around the generated part of README.md. */
export const COMMANDS_BEGIN = '<!-- commands: generated from shared/shells/cli (npx jest test/cli/readme-commands.test.ts) -->';
export const COMMANDS_END = '<!-- end of commands -->';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** One row per command (its arguments, summary and options), then the exit codes. */
export function renderCommandReference(commands: readonly CommandSpec[]): string {
  const rows = commands.map((command) => {
    const usage = `\`${command.name}${command.arguments ? ` ${command.arguments.shown}` : ''}\``;
    const options = Object.entries(command.options)
      .map(([name, option]) => `\`${optionSynopsis(name, option)}\`${option.multiple ? '…' : ''}`)
      .join(' ');
    return `| ${cell(usage)} | ${cell(command.summary)} | ${cell(options)} |`;
  });
  return [
    '| command | what it does | options |',
    '| --- | --- | --- |',
    ...rows,
    '',
    '| exit code | meaning |',
    '| --- | --- |',
    ...EXIT_CODES.map(({ code, meaning }) => `| ${code} | ${cell(meaning)} |`),
  ].join('\n');
}

/** `readme` with its generated part replaced by `reference` (the markers must be there). */
export function withCommandReference(readme: string, reference: string): string {
  const begin = readme.indexOf(COMMANDS_BEGIN);
  const end = readme.indexOf(COMMANDS_END);
  if (begin < 0 || end < begin) throw new Error(`README.md: the markers ${COMMANDS_BEGIN} and ${COMMANDS_END} are missing`);
  return `${readme.slice(0, begin + COMMANDS_BEGIN.length)}\n${reference}\n${readme.slice(end)}`;
}
