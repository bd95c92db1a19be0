/** A clock the test sets: every part that reads the time is given `clock.now`. */
export interface TestClock {
  now: () => Date;
  /** Moves the clock to this time. */
  set(at: Date | string): void;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
}

export function testClock(start: Date | string): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
