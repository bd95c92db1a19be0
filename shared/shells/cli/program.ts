/**
 * The command line on commander: every command's definition (command-line.ts) becomes a commander
 * command, which parses its options, answers `--help` (options, environment variables, examples) and
 * suggests the nearest command or option for a mistyped one. Nothing here acts: the command's `run` does.
 */
import { Command, CommanderError, Option } from 'commander';
import packageJson from '../../../package.json';
import type { CommandSpec, EnvironmentSpec, OptionSpec, OptionSpecs, ParsedArgs } from './command-line';
import { EXIT_CODES, EXIT_OK, EXIT_USAGE } from './exit-codes';
import type { Io } from './io';
import { CONFIG_ENV, DB_ENV, DEBUG_ENV, LOCK_TIMEOUT_ENV } from './shared-options';
import { outputWidth } from './style';

export const VERSION: string = packageJson.version;

/** The text after a command's options in its `--help`: environment variables, then examples. */
export function helpFooter(spec: CommandSpec): string {
  const lines: string[] = [];
  // Every command reads TRAILWARDEN_DEBUG (main.ts).
  lines.push('', 'Environment:', ...environmentLines([...(spec.environment ?? []), DEBUG_ENV]));
  lines.push('', 'Examples:');
  for (const example of spec.examples) lines.push(`  # ${example.what}`, `  trailwarden ${example.run}`);
  return `${lines.join('\n')}\n`;
}

/** Names padded to one column; a name longer than NAME_COLUMN has its description on the next line. */
const NAME_COLUMN = 26;

function environmentLines(environment: readonly EnvironmentSpec[]): string[] {
  const width = Math.min(NAME_COLUMN, Math.max(...environment.map((env) => env.name.length)));
  return environment.flatMap((env) =>
    env.name.length > width
      ? [`  ${env.name}`, `  ${' '.repeat(width)}  ${env.description}`]
      : [`  ${env.name.padEnd(width)}  ${env.description}`],
  );
}

function programFooter(): string {
  const codes = EXIT_CODES.map(({ code, meaning }) => `  ${String(code).padStart(2)}  ${meaning}`);
  return [
    '',
    'Environment:',
    ...environmentLines([DB_ENV, CONFIG_ENV, LOCK_TIMEOUT_ENV, DEBUG_ENV]),
    '',
    'Exit codes:',
    ...codes,
    '',
    'Start with: trailwarden replay events --show-findings, then trailwarden serve.',
    "Run 'trailwarden <command> --help' for a command's options, environment variables and examples.",
    '',
  ].join('\n');
}

function optionOf(name: string, spec: OptionSpec): Option {
  const flags = spec.type === 'boolean' ? `--${name}` : `--${name} <${spec.value ?? 'VALUE'}>`;
  const option = new Option(flags, spec.description);
  // Repeated, not variadic: `--notify console events/` keeps events/ an argument.
  if (spec.multiple) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  if (spec.default !== undefined) option.default(spec.default);
  return option;
}

/** The values by option name, as the command's definition names them (commander's are camel case). */
function valuesOf(command: Command, options: OptionSpecs): ParsedArgs<OptionSpecs>['values'] {
  const parsed = command.opts();
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(options)) {
    const value = parsed[new Option(`--${name}`).attributeName()];
    values[name] = spec.type === 'boolean' ? value === true : spec.multiple ? (value ?? []) : value;
  }
  return values as ParsedArgs<OptionSpecs>['values'];
}

/** Which command ran and its exit code, once its action has run. */
interface Outcome {
  code?: number;
}

function commandOf(spec: CommandSpec, io: Io, outcome: Outcome): Command {
  const command = new Command(spec.name).summary(spec.summary).description(spec.description ?? spec.summary);
  if (spec.arguments) {
    // Optional and repeatable for commander: each command says what it lacks (with its own message).
    command.argument(`[${spec.arguments.name}...]`, spec.arguments.description);
    command.usage(`[options] ${spec.arguments.shown}`);
  }
  for (const [name, option] of Object.entries(spec.options)) command.addOption(optionOf(name, option));
  command.helpOption('-h, --help', 'show this help');
  command.addHelpText('after', helpFooter(spec));
  command.action(async (...args: unknown[]) => {
    const self = args[args.length - 1] as Command;
    outcome.code = await spec.run({ values: valuesOf(self, spec.options), positionals: [...self.args] }, io);
  });
  return command;
}

/** Commander's own output (help, errors), line ends as io writes them. */
function configured(command: Command, io: Io): Command {
  const width = outputWidth(io);
  return command
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
      ...(width !== undefined ? { getOutHelpWidth: () => width, getErrHelpWidth: () => width } : {}),
    });
}

/** The whole program: every command, `--version` and `--help`. */
export function programOf(specs: readonly CommandSpec[], io: Io, outcome: Outcome = {}): Command {
  const program = configured(new Command('trailwarden'), io)
    .description(packageJson.description)
    .usage('<command> [options]')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', "show a command's help")
    .addHelpText('after', programFooter());
  for (const spec of specs) program.addCommand(configured(commandOf(spec, io, outcome), io));
  return program;
}

/**
 * Parses `argv` (the arguments after `trailwarden`) and runs the command it names. A usage error
 * commander finds (unknown command or option, with its suggestion; a missing value) is written on stderr
 * and answered EXIT_USAGE; help and the version EXIT_OK. Errors the command throws are the caller's.
 */
export async function runProgram(specs: readonly CommandSpec[], argv: string[], io: Io): Promise<number> {
  const outcome: Outcome = {};
  const program = programOf(specs, io, outcome);
  if (argv.length === 0) {
    // No command: the overview, as an answer to a usage error.
    io.err(program.helpInformation().replace(/\n$/, ''));
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and the version exit 0 in commander; every error it finds in the command line, 1.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  return outcome.code ?? EXIT_OK;
}
