/**
 * A binary min-heap of integer ids ordered by an external key array (`key[id]`, ties by id), so a
 * million entries cost four bytes each. An id's key must not change while it is in the heap.
 */
export class IdHeap {
  private items: Int32Array;
  private n = 0;

  constructor(
    private key: () => Float64Array,
    capacity = 16,
  ) {
    this.items = new Int32Array(Math.max(4, capacity));
  }

  get size(): number {
    return this.n;
  }

  peek(): number {
    return this.n > 0 ? this.items[0]! : -1;
  }

  push(id: number): void {
    if (this.n === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const items = this.items;
    const key = this.key();
    let i = this.n++;
    const k = key[id]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = items[p]!;
      const kq = key[q]!;
      if (kq < k || (kq === k && q < id)) break;
      items[i] = q;
      i = p;
    }
    items[i] = id;
  }

  pop(): number {
    if (this.n === 0) return -1;
    const items = this.items;
    const key = this.key();
    const top = items[0]!;
    const last = items[--this.n]!;
    if (this.n > 0) {
      const k = key[last]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= this.n) break;
        let kc = key[items[c]!]!;
        const r = c + 1;
        if (r < this.n) {
          const kr = key[items[r]!]!;
          if (kr < kc || (kr === kc && items[r]! < items[c]!)) {
            c = r;
            kc = kr;
          }
        }
        if (k < kc || (k === kc && last < items[c]!)) break;
        items[i] = items[c]!;
        i = c;
      }
      items[i] = last;
    }
    return top;
  }
}
