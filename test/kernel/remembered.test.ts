/** remembered (shared/core/kernel/remembered.ts): what masking, finding ids, key names and event times are memoized with. */
import { remembered } from '../../shared/core/kernel/remembered';

describe('remembered', () => {
  it('computes a key once while it is remembered, and gives the same value as computing it', () => {
    const asked: string[] = [];
    const upper = remembered(3, (key) => {
      asked.push(key);
      return key.toUpperCase();
    });
    expect([upper('a'), upper('b'), upper('a'), upper('b')]).toEqual(['A', 'B', 'A', 'B']);
    expect(asked).toEqual(['a', 'b']);
  });

  it('keeps at most `kept` keys: past them it forgets all and computes again (memory bounded whatever the input)', () => {
    const asked: string[] = [];
    const length = remembered(2, (key) => {
      asked.push(key);
      return key.length;
    });
    length('a');
    length('bb');
    length('ccc'); // a third key: the two before are forgotten
    length('ccc');
    length('a');
    expect(asked).toEqual(['a', 'bb', 'ccc', 'a']);
  });

  it('remembers values that are falsy (false, 0, the empty string)', () => {
    let calls = 0;
    const isLong = remembered(10, (key) => {
      calls += 1;
      return key.length > 3;
    });
    expect([isLong('ab'), isLong('ab')]).toEqual([false, false]);
    expect(calls).toBe(1);
  });
});
