/**
 * The JSON sidecar the cp-answered subroutine writes beside each recording: file, started,
 * direction, caller, callee, queue, agent, campaign, uniqueid. Read only for the layout fields
 * the file name does not carry; the sidecar itself is archived byte for byte.
 */
export interface Sidecar {
  direction?: string;
  caller?: string;
  callee?: string;
  queue?: string;
  agent?: string;
  campaign?: string;
  uniqueid?: string;
  started?: string;
}

const FIELDS = ['direction', 'caller', 'callee', 'queue', 'agent', 'campaign', 'uniqueid', 'started'] as const;

/** The sidecar's fields, or an error message when the text is not a JSON object (a sidecar cut short, say). */
export function parseSidecar(text: string): { sidecar: Sidecar } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON (${(e as Error).message})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { error: 'not a JSON object' };
  const sidecar: Sidecar = {};
  for (const key of FIELDS) {
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') sidecar[key] = String(value);
  }
  return { sidecar };
}
