
/**
 * What a node must show once a release is live, read from the release's own files (so it holds
 * for a build directory as for a project): every PJSIP endpoint, every queue, every dialplan
 * context, every outbound registration. The checks compare that with Asterisk's CLI output and
 * look for errors Asterisk logged since the switch. Pure.
 */
export interface Expectations {
  endpoints: string[];
  queues: string[];
  contexts: string[];
  registrations: string[];
}

export function expectations(files: ReadonlyMap<string, string>): Expectations {
  const typed = (file: string, type: string) =>
    sections(files.get(file) ?? '')
      .filter(([, body]) => new RegExp(`^\\s*type\\s*=\\s*${type}\\s*$`, 'm').test(body))
      .map(([name]) => name.replace(/\(.*$/, '').trim());
  const queues = sections(files.get('asterisk/queues.conf') ?? '').map(([n]) => n.replace(/\(.*$/, '').trim()).filter((n) => n !== 'general');
  const contexts = sections(files.get('asterisk/extensions.conf') ?? '').map(([n]) => n.replace(/\(.*$/, '').trim()).filter((n) => n !== 'general' && n !== 'globals');
  return { endpoints: typed('asterisk/pjsip.conf', 'endpoint'), queues, contexts, registrations: typed('asterisk/pjsip.conf', 'registration') };
}

/** The CLI commands whose output the checks read. */
export const HEALTH_COMMANDS = {
  endpoints: 'pjsip list endpoints',
  queues: 'queue show',
  contexts: 'dialplan show',
  registrations: 'pjsip show registrations',
} as const;

export type HealthOutputs = Record<keyof typeof HEALTH_COMMANDS, string>;

export const HEALTH_KINDS = ['endpoints', 'queues', 'contexts', 'registrations'] as const;

/** The command that shows one object: a second look at one a whole listing did not show. */
export const SHOW_ONE: Record<keyof HealthOutputs, (name: string) => string> = {
  endpoints: (n) => `pjsip show endpoint ${n}`,
  queues: (n) => `queue show ${n}`,
  contexts: (n) => `dialplan show ${n}`,
  registrations: (n) => `pjsip show registration ${n}`,
};

/** The objects of the release the outputs do not show, per kind. */
export function missingObjects(e: Expectations, out: HealthOutputs): Record<keyof HealthOutputs, string[]> {
  const present = {
    endpoints: new Set([...out.endpoints.matchAll(/^\s*Endpoint:\s+(\S+?)(?:\/\S*)?\s/gm)].map((m) => m[1]!)),
    queues: new Set([...out.queues.matchAll(/^(\S+) has \d+ calls?/gm)].map((m) => m[1]!)),
    contexts: new Set([...out.contexts.matchAll(/\[ Context '([^']+)' created by/g)].map((m) => m[1]!)),
    registrations: new Set([...out.registrations.matchAll(/^\s*(\S+?)\/\S+\s/gm)].map((m) => m[1]!)),
  };
  return Object.fromEntries(HEALTH_KINDS.map((kind) => [kind, e[kind].filter((n) => !present[kind].has(n))])) as Record<keyof HealthOutputs, string[]>;
}

/** Each missing object, one line each (at most a few per kind, then a count). */
export function checkHealth(e: Expectations, out: HealthOutputs): string[] {
  const absent = missingObjects(e, out);
  const problems: string[] = [];
  for (const kind of HEALTH_KINDS) {
    const missing = absent[kind];
    if (missing.length === 0) continue;
    const shown = missing.slice(0, 5).join(', ');
    problems.push(`${missing.length} ${kind} of the release missing in Asterisk (${HEALTH_COMMANDS[kind]}): ${shown}${missing.length > 5 ? `, … ${missing.length - 5} more` : ''}`);
  }
  return problems;
}

/** ERROR lines of Asterisk's log (what was logged since the switch). */
export function logErrors(log: string): string[] {
  return log.split('\n').filter((l) => /\bERROR\[\d+\]/.test(l));
}

/** An ERROR line without its time stamp and thread id: the same error logged again reads the same. */
export function errorText(line: string): string {
  return line.replace(/^\[[^\]]*\]\s*/, '').replace(/ERROR\[\d+\](\[[^\]]*\])?/, 'ERROR').trim();
}

/** `[name]` sections of an Asterisk config file with their bodies, in order. */
export function sections(text: string): Array<[name: string, body: string]> {
  const out: Array<[string, string]> = [];
  let name: string | undefined;
  let body: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\[([^\]]+)\]/.exec(line);
    if (m) {
      if (name !== undefined) out.push([name, body.join('\n')]);
      name = m[1]!;
      body = [];
    } else body.push(line);
  }
  if (name !== undefined) out.push([name, body.join('\n')]);
  return out;
}
