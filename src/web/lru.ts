/** A least-recently-used map bounded by entry count and by total size (the caller says what an entry weighs). */
export class Lru<V> {
  private readonly map = new Map<string, { v: V; w: number }>();
  private weight = 0;

  constructor(private readonly maxEntries: number, private readonly maxWeight = Infinity) {}

  get(k: string): V | undefined {
    const e = this.map.get(k);
    if (!e) return undefined;
    this.map.delete(k);
    this.map.set(k, e);
    return e.v;
  }

  set(k: string, v: V, w = 1): void {
    const old = this.map.get(k);
    if (old) {
      this.weight -= old.w;
      this.map.delete(k);
    }
    if (w > this.maxWeight) return;
    this.map.set(k, { v, w });
    this.weight += w;
    while (this.map.size > this.maxEntries || this.weight > this.maxWeight) {
      const first = this.map.keys().next().value as string;
      this.weight -= this.map.get(first)!.w;
      this.map.delete(first);
    }
  }

  delete(k: string): void {
    const old = this.map.get(k);
    if (!old) return;
    this.weight -= old.w;
    this.map.delete(k);
  }

  get size(): number {
    return this.map.size;
  }
}
