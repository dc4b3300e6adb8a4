/**
 * Asterisk extension patterns, as outbound routes write them: "112" matches itself; "_0[1-9]XXXXXXXX"
 * is a pattern where X is any digit, Z 1-9, N 2-9, [15-7] a set, "." one or more of anything and
 * "!" zero or more. Compiled to a regular expression once per pattern.
 */
const cache = new Map<string, RegExp>();

export function patternRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.startsWith('_') ? translate(pattern.slice(1)) : escape(pattern)}$`);
    cache.set(pattern, re);
  }
  return re;
}

export function matchesPattern(pattern: string, number: string): boolean {
  return patternRegExp(pattern).test(number);
}

function translate(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === 'X' || c === 'x') out += '[0-9]';
    else if (c === 'Z' || c === 'z') out += '[1-9]';
    else if (c === 'N' || c === 'n') out += '[2-9]';
    else if (c === '.') out += '.+';
    else if (c === '!') out += '.*';
    else if (c === '[') {
      const end = body.indexOf(']', i);
      const set = end < 0 ? body.slice(i + 1) : body.slice(i + 1, end);
      out += `[${set.replace(/[\\^]/g, '\\$&')}]`;
      i = end < 0 ? body.length : end;
    } else out += escape(c);
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
