/** Just enough of Asterisk's file syntax to analyse what callplan generated. */

export interface ParsedContext {
  name: string;
  includes: string[];
  /** Extension pattern → its application calls, in order. */
  extensions: Map<string, string[]>;
}

export function parseDialplan(text: string): Map<string, ParsedContext> {
  const contexts = new Map<string, ParsedContext>();
  let current: ParsedContext | undefined;
  let lastPattern = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) continue;
    const section = /^\[([^\]]+)\]/.exec(line);
    if (section) {
      current = { name: section[1]!, includes: [], extensions: new Map() };
      contexts.set(current.name, current);
      continue;
    }
    if (!current) continue;
    const include = /^include\s*=>\s*(\S+)/.exec(line);
    if (include) {
      current.includes.push(include[1]!);
      continue;
    }
    const exten = /^exten\s*=>\s*([^,]+),[^,]+,(.*)$/.exec(line);
    const same = /^same\s*=>\s*[^,]+,(.*)$/.exec(line);
    if (exten) {
      lastPattern = exten[1]!;
      current.extensions.set(lastPattern, [exten[2]!]);
    } else if (same) {
      current.extensions.get(lastPattern)?.push(same[1]!);
    }
  }
  return contexts;
}

/** Endpoint name → context, for endpoints that do not authenticate (carriers, identified by address). */
export function unauthenticatedContexts(pjsip: string): string[] {
  const out = new Set<string>();
  for (const block of pjsip.split(/\n(?=\[)/)) {
    const lines = block.split('\n').map((l) => l.trim());
    if (!lines.includes('type = endpoint')) continue;
    if (lines.some((l) => l.startsWith('auth = '))) continue;
    const context = lines.find((l) => l.startsWith('context = '))?.slice('context = '.length);
    if (context) out.add(context);
  }
  return [...out].sort();
}
