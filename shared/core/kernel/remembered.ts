/**
 * A pure function of a string, remembered for the keys it was asked lately: the same user agents, key names,
 * event times and query texts come back event after event, and computing them again costs more than a look-up.
 * Bounded, since the keys come from the input: past `kept` keys, all are forgotten at once and remembering
 * starts over. `compute` never returns undefined.
 */
export function remembered<V>(kept: number, compute: (key: string) => V): (key: string) => V {
  const values = new Map<string, V>();
  return (key) => {
    let value = values.get(key);
    if (value === undefined) {
      value = compute(key);
      if (values.size >= kept) values.clear();
      values.set(key, value);
    }
    return value;
  };
}
