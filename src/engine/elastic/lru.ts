/** A Map bounded to `max` entries: touching an entry moves it last; the least recently touched go first. */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Sets (and touches) an entry, evicting the least recently touched beyond the bound. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  /** Drops entries from the least recently touched end while `stale` holds for them. */
  dropWhile(stale: (value: V) => boolean): void {
    for (const [k, v] of this.map) {
      if (!stale(v)) break;
      this.map.delete(k);
    }
  }
}
