/**
 * Pure results kept per key (a formatter per locale, the tokens of a stored expression), in a
 * map that starts over past `max` entries: callers' context and input choose the keys, so
 * what they can make the process keep stays bounded. A `make` that throws keeps nothing.
 */
export function boundedMemo<V>(max = 1000): (key: string, make: () => V) => V {
  const map = new Map<string, V>();
  return (key, make) => {
    let value = map.get(key);
    if (value === undefined) {
      value = make();
      if (map.size >= max) map.clear();
      map.set(key, value);
    }
    return value;
  };
}
