/**
 * A cache of values computed from an object (a table) and a string key, bounded per object: when an
 * object's entries reach `max`, they are dropped and computed again as needed. The values must be
 * pure functions of (object, key).
 */
export function memoPerObject<O extends object, V>(max: number): (obj: O, key: string, compute: () => V) => V {
  const caches = new WeakMap<O, Map<string, V>>();
  return (obj, key, compute) => {
    let cache = caches.get(obj);
    if (!cache) caches.set(obj, (cache = new Map()));
    let v = cache.get(key);
    if (v === undefined) {
      v = compute();
      if (cache.size >= max) cache.clear();
      cache.set(key, v);
    }
    return v;
  };
}
