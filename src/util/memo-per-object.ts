/**
 * A cache of values computed from an object (a table) and a string key, bounded per object: when an
 * object's entries reach `max`, they are dropped and computed again as needed. The values must be
 * pure functions of (object, key). `compute` is given once, not per call, and the lookup (every
 * call) is apart from the making (once per object and key): callers on a per-event path make no
 * closure per call, and the optimizing compiler keeps the lookup's code when a new key comes.
 */
export function memoPerObject<O extends object, V>(max: number, compute: (obj: O, key: string) => V): (obj: O, key: string) => V {
  const caches = new WeakMap<O, Map<string, V>>();
  const make = (obj: O, key: string): V => {
    let cache = caches.get(obj);
    if (!cache) caches.set(obj, (cache = new Map()));
    const v = compute(obj, key);
    if (cache.size >= max) cache.clear();
    cache.set(key, v);
    return v;
  };
  return (obj, key) => {
    const v = caches.get(obj)?.get(key);
    return v !== undefined ? v : make(obj, key);
  };
}
