/**
 * What a command of the command line is, as data: its name, one-line summary, arguments, options, the
 * environment variables it reads and examples. One definition serves the parser and `--help`
 * (program.ts, on commander), `trailwarden --help`, and the README's command table (command-table.ts).
 * An option used by several commands (`--db`, `--config`, `--notify`, `--json`, …) is defined once, in
 * shared-options.ts, and spread into the options of each command that takes it.
 */
import type { Io } from './io';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The option may be given several times; its value is every one given, in order. */
  readonly multiple?: boolean;
  readonly default?: string;
  /** How help names the value: `--db FILE`. */
  readonly value?: string;
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** An option's value as the command receives it. */
type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S extends { multiple: true }
    ? string[]
    : S extends { default: string }
      ? string
      : string | undefined;

/** The values of a command's options, by option name (`'min-severity'`); booleans are false when absent. */
export type OptionValues<O extends OptionSpecs> = { -readonly [K in keyof O]: ValueOf<O[K]> };

/** What a command is called with: its options' values and its positional arguments. */
export interface ParsedArgs<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
}

/** An environment variable a command reads, as help lists it. */
export interface EnvironmentSpec {
  readonly name: string;
  readonly description: string;
}

/** One example of `--help`: what it does, and the command line. */
export interface ExampleSpec {
  readonly what: string;
  readonly run: string;
}

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  /** One line: `trailwarden --help` and the README's table. */
  readonly summary: string;
  /** More about it, for `trailwarden <command> --help`. */
  readonly description?: string;
  /** The positional arguments: their name (`paths`), how usage shows them (`PATH...`), what they are. */
  readonly arguments?: { readonly name: string; readonly shown: string; readonly description: string };
  readonly options: O;
  readonly environment?: readonly EnvironmentSpec[];
  readonly examples: readonly ExampleSpec[];
  /** Runs the command; its answer is the exit code (exit-codes.ts). */
  run(args: ParsedArgs<O>, io: Io): Promise<number>;
}

/** A command, its option types checked against its run function. */
export function defineCommand<O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<OptionSpecs> {
  return spec as unknown as CommandSpec<OptionSpecs>;
}

/** `--db FILE`, `--json`: an option as help and the README show it. */
export function optionSynopsis(name: string, option: OptionSpec): string {
  return option.type === 'boolean' ? `--${name}` : `--${name} ${option.value ?? 'VALUE'}`;
}
