/** Typed references between objects: `queue:payments`, `user:1001`, `hangup` ... */

export const REF_KINDS = ['user', 'voicemail', 'queue', 'ivr', 'group', 'conference', 'announcement', 'site-router', 'external', 'campaign'] as const;
export type RefKind = (typeof REF_KINDS)[number];

export type Ref = { kind: RefKind; id: string } | { kind: 'hangup' } | { kind: 'repeat' };

/** Keywords of a no-answer chain that are resolved against the user who did not answer. */
export const RELATIVE_STEPS = ['group', 'supervisor', 'secretary', 'voicemail'] as const;
export type RelativeStep = (typeof RELATIVE_STEPS)[number];

export function parseRef(text: string): Ref | undefined {
  if (text === 'hangup' || text === 'repeat') return { kind: text };
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const kind = text.slice(0, colon) as RefKind;
  if (!REF_KINDS.includes(kind)) return undefined;
  return { kind, id: text.slice(colon + 1) };
}
