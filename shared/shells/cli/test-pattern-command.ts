/**
 * `trailwarden test-pattern --pattern <json|file://path> --event <json|file://path>`: answers
 * like `aws events test-event-pattern`: {"Result":true} or {"Result":false}; an invalid pattern
 * exits 2 with the reason on stderr.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compilePattern, InvalidPatternError } from '../../core/matching';
import { UsageError } from './compose';
import type { Io } from './io';

function readArgument(flag: string, value: string | undefined): unknown {
  if (value === undefined) throw new UsageError(`test-pattern needs ${flag} <json|file://path>`);
  let text = value;
  if (value.startsWith('file://')) {
    const path = value.slice('file://'.length);
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`${flag} ${value}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

export async function testPatternCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { pattern: { type: 'string' }, event: { type: 'string' } } });
  const pattern = readArgument('--pattern', values.pattern);
  const event = readArgument('--event', values.event);
  try {
    io.out(JSON.stringify({ Result: compilePattern(pattern).matches(event) }));
    return 0;
  } catch (error) {
    if (error instanceof InvalidPatternError) {
      io.err(`Event pattern is not valid. Reason: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
