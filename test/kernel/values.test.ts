import { asArray, asBoolean, asNumber, asRecord, asString, isFalse, isTrue, pathGet, stringsOf } from '../../shared/core/kernel/values';

describe('asString', () => {
  it('keeps strings, the empty one included', () => {
    expect(asString('x')).toBe('x');
    expect(asString('')).toBe('');
  });

  it.each([undefined, null, 1, true, {}, ['x']])('gives undefined for %p', (value) => {
    expect(asString(value)).toBeUndefined();
  });
});

describe('asArray', () => {
  it('keeps arrays and wraps single values', () => {
    const list = [1, 2];
    expect(asArray(list)).toBe(list);
    expect(asArray('one')).toEqual(['one']);
    expect(asArray(0)).toEqual([0]);
    expect(asArray(false)).toEqual([false]);
  });

  it('reads undefined and null as no items', () => {
    expect(asArray(undefined)).toEqual([]);
    expect(asArray(null)).toEqual([]);
  });
});

describe('asRecord', () => {
  it('keeps plain objects', () => {
    const object = { a: 1 };
    expect(asRecord(object)).toBe(object);
  });

  it.each([undefined, null, 'x', 3, [1, 2]])('reads %p as {}', (value) => {
    expect(asRecord(value)).toEqual({});
  });
});

describe('asNumber', () => {
  it.each([
    [443, 443],
    [0, 0],
    [-1, -1],
    [1.5, 1.5],
    ['443', 443],
    ['-1', -1],
    [' 22 ', 22],
    ['0', 0],
  ])('reads %p as %p', (value, expected) => {
    expect(asNumber(value)).toBe(expected);
  });

  it.each([NaN, Infinity, -Infinity, '1.5', '1e3', '', ' ', 'ssh', '22-23', '0x16', null, undefined, true, {}, [22]])(
    'gives undefined for %p',
    (value) => {
      expect(asNumber(value)).toBeUndefined();
    },
  );
});

describe('booleans', () => {
  it('reads true and "true" as true, false and "false" as false', () => {
    expect(isTrue(true)).toBe(true);
    expect(isTrue('true')).toBe(true);
    expect(isFalse(false)).toBe(true);
    expect(isFalse('false')).toBe(true);
    expect(asBoolean('true')).toBe(true);
    expect(asBoolean(false)).toBe(false);
  });

  it.each([undefined, null, 'TRUE', 'True', 'yes', 1, 0, '', 'false '])('does not read %p as true', (value) => {
    expect(isTrue(value)).toBe(false);
  });

  it('does not read absence as false: an omitted flag leaves a setting as it was', () => {
    for (const value of [undefined, null, 0, '', 'FALSE', 'no']) {
      expect(isFalse(value)).toBe(false);
      expect(asBoolean(value)).toBeUndefined();
    }
  });
});

describe('pathGet', () => {
  const value = { a: { b: [{ c: 'deep' }, null], n: null, s: 'text' } };

  it('follows object keys and array indexes', () => {
    expect(pathGet(value, 'a.b.0.c')).toBe('deep');
    expect(pathGet(value, 'a.s')).toBe('text');
    expect(pathGet(['x', 'y'], '1')).toBe('y');
  });

  it('gives undefined where a step is missing, null, not an index or not an object', () => {
    expect(pathGet(value, 'a.missing.c')).toBeUndefined();
    expect(pathGet(value, 'a.n.c')).toBeUndefined();
    expect(pathGet(value, 'a.b.1.c')).toBeUndefined();
    expect(pathGet(value, 'a.b.first')).toBeUndefined();
    expect(pathGet(value, 'a.s.length')).toBeUndefined();
    expect(pathGet(undefined, 'a')).toBeUndefined();
    expect(pathGet(null, 'a')).toBeUndefined();
  });

  it('returns null where the value itself is null', () => {
    expect(pathGet(value, 'a.n')).toBeNull();
  });
});

describe('stringsOf', () => {
  it('keeps the strings of a string or a list', () => {
    expect(stringsOf('a')).toEqual(['a']);
    expect(stringsOf(['a', 1, null, 'b', { c: 'd' }])).toEqual(['a', 'b']);
    expect(stringsOf(undefined)).toEqual([]);
    expect(stringsOf(7)).toEqual([]);
  });
});
