/** The simulator's future: events by time, ties in the order they were scheduled (deterministic). */
export interface SimEvent<T> {
  t: number;
  seq: number;
  kind: number;
  ref: T;
}

export class EventQueue<T> {
  private readonly heap: SimEvent<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(t: number, kind: number, ref: T): void {
    const e: SimEvent<T> = { t, seq: this.seq++, kind, ref };
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = h[p]!;
      if (q.t < t || (q.t === t && q.seq < e.seq)) break;
      h[i] = q;
      i = p;
    }
    h[i] = e;
  }

  peekTime(): number {
    return this.heap.length > 0 ? this.heap[0]!.t : Infinity;
  }

  pop(): SimEvent<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        const r = c + 1;
        if (r < n && (h[r]!.t < h[c]!.t || (h[r]!.t === h[c]!.t && h[r]!.seq < h[c]!.seq))) c = r;
        const x = h[c]!;
        if (last.t < x.t || (last.t === x.t && last.seq < x.seq)) break;
        h[i] = x;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
