import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { DocPath } from './path.js';

export interface Position {
  line: number;
  column: number;
}

/** Point at a mapping key (an unknown or duplicate key) or at the value under it. */
export type Anchor = 'key' | 'value';

/**
 * Turns a path in a document into line and column. Built lazily, only for files that have a
 * diagnostic: parsing with `yaml`'s document API is what costs, and valid projects never pay it.
 */
export class SourcePositions {
  private parsed?: { doc: Document; lines: LineCounter };

  constructor(private readonly text: string) {}

  locate(path: DocPath, anchor: Anchor = 'value'): Position {
    const found = this.find(path, anchor);
    if (!found) return { line: 1, column: 1 };
    const pos = found.lines.linePos(found.offset);
    return { line: pos.line, column: pos.col };
  }

  /** The source text of the scalar at `path` (`+48221234567` as written, where the data holds a number). */
  sourceText(path: DocPath): string | undefined {
    const found = this.find(path, 'value');
    const range = (found?.node as Node | undefined)?.range;
    return range ? this.text.slice(range[0], range[1]) : undefined;
  }

  private find(path: DocPath, anchor: Anchor): { node: unknown; offset: number; lines: LineCounter } | undefined {
    let parsed;
    try {
      parsed = this.parse();
    } catch {
      return undefined;
    }
    const { doc, lines } = parsed;
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    // Walk as far as the document goes; a path into missing data points at its deepest existing part.
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => keyOf(p.key) === String(segment));
        if (!pair) return { node: undefined, offset, lines };
        if (i === path.length - 1 && anchor === 'key') return { node: pair.key, offset: rangeStart(pair.key) ?? offset, lines };
        node = pair.value;
        // A key with no value (`site:`) still has a position: its key's.
        offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment];
        offset = rangeStart(node) ?? offset;
      } else {
        return { node: undefined, offset, lines };
      }
    }
    return { node, offset, lines };
  }

  private parse(): { doc: Document; lines: LineCounter } {
    if (!this.parsed) {
      const lines = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter: lines, prettyErrors: false, keepSourceTokens: false });
      this.parsed = { doc, lines };
    }
    return this.parsed;
  }
}

function keyOf(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
