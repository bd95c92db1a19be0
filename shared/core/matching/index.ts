/** EventBridge event-pattern matching: compile a pattern once, match it against many events. */
export { InvalidPatternError } from './invalid-pattern-error';
export type { CompiledPattern } from './types';
export { compilePattern, matchesPattern } from './compile-pattern';
