/**
 * `trailwarden test-pattern --pattern <json|file://path> --event <json|file://path>`: answers
 * like `aws events test-event-pattern`: {"Result":true} or {"Result":false}; an invalid pattern
 * exits 2 with the reason on stderr.
 */
import { readFileSync } from 'node:fs';
import { compilePattern, InvalidPatternError } from '../../core/matching';
import { UsageError } from './compose';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';

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

const TEST_PATTERN_OPTIONS = {
  pattern: { type: 'string', value: 'JSON|file://PATH', description: 'the EventBridge event pattern (required)' },
  event: { type: 'string', value: 'JSON|file://PATH', description: 'the event to test it against (required)' },
} as const;

export async function testPatternCommand({ values }: ParsedArgs<typeof TEST_PATTERN_OPTIONS>, io: Io): Promise<number> {
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

export const TEST_PATTERN = defineCommand({
  name: 'test-pattern',
  summary: 'tests an EventBridge event pattern against an event: {"Result":true} or {"Result":false}',
  description:
    'Answers like aws events test-event-pattern: {"Result":true} or {"Result":false}; an invalid pattern exits 2 with the reason.',
  options: TEST_PATTERN_OPTIONS,
  examples: [
    {
      what: 'does a pattern match this CloudTrail event?',
      run: 'test-pattern --pattern \'{"source":["aws.ec2"]}\' --event file://events/network/security-group-open-to-internet/1-violating-ssh-ipv4.json',
    },
    { what: 'a pattern kept in a file', run: 'test-pattern --pattern file://pattern.json --event file://event.json' },
  ],
  run: testPatternCommand,
});
