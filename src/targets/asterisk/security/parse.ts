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

interface PjsipSection {
  name: string;
  type?: string;
  values: Map<string, string[]>;
}

function pjsipSections(pjsip: string): PjsipSection[] {
  const out: PjsipSection[] = [];
  for (const block of pjsip.split(/\n(?=\[)/)) {
    const lines = block.split('\n').map((l) => l.trim());
    const name = /^\[([^\]]+)\]/.exec(lines[0] ?? '')?.[1];
    if (name === undefined) continue;
    const values = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const m = /^([a-z_]+) = (.*)$/.exec(line);
      if (m) values.set(m[1]!, [...(values.get(m[1]!) ?? []), m[2]!]);
    }
    out.push({ name, type: values.get('type')?.[0], values });
  }
  return out;
}

/**
 * The contexts of endpoints a request can reach without authenticating: endpoints without `auth`
 * (carriers, identified by address or, behind an edge, by the edge's header).
 *
 * One exception, for a node behind Kamailio edges that authenticate phones: when an ACL lets SIP
 * in from those edges' addresses only (`deny` everything, `permit` nothing else), an endpoint
 * without `auth` that no `identify` names is reached only by name, through an edge, which has
 * authenticated the phone as that name. Endpoints an `identify` names (trunks, the edge itself)
 * stay unauthenticated entries.
 */
export function unauthenticatedContexts(pjsip: string, authenticatingEdges: readonly string[] = []): string[] {
  const sections = pjsipSections(pjsip);
  const behindEdge = onlyFromEdges(sections, authenticatingEdges);
  const identified = new Set(sections.filter((s) => s.type === 'identify').flatMap((s) => s.values.get('endpoint') ?? []));
  const out = new Set<string>();
  for (const s of sections) {
    if (s.type !== 'endpoint' || s.values.has('auth')) continue;
    if (behindEdge && !identified.has(s.name)) continue;
    const context = s.values.get('context')?.[0];
    if (context) out.add(context);
  }
  return [...out].sort();
}

/** An ACL denies every IPv4 and IPv6 source and permits only the given edges' addresses. */
function onlyFromEdges(sections: PjsipSection[], edges: readonly string[]): boolean {
  if (edges.length === 0) return false;
  const acls = sections.filter((s) => s.type === 'acl');
  const hostOnly = (a: string) => a.replace(/\/(32|128|255\.255\.255\.255)$/, '');
  return acls.some((acl) => {
    const deny = acl.values.get('deny') ?? [];
    const permit = acl.values.get('permit') ?? [];
    return (
      deny.includes('0.0.0.0/0.0.0.0') &&
      deny.includes('::/0') &&
      permit.length > 0 &&
      permit.every((p) => edges.includes(hostOnly(p))) &&
      !acls.some((other) => other !== acl && (other.values.get('permit') ?? []).some((p) => !edges.includes(hostOnly(p))))
    );
  });
}
