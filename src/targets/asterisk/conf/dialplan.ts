/**
 * extensions.conf as data: contexts of extensions of steps. Labels are written on every step a
 * later Goto names, and on the steps where a live call waits (see dialplan/README in docs).
 */
export interface Step {
  app: string;
  label?: string;
}

export interface Extension {
  pattern: string;
  comment?: string;
  /** A device state phones can watch with a BLF key (`exten => X,hint,Custom:...`). */
  hint?: string;
  steps: Step[];
}

export interface Context {
  name: string;
  comment?: string;
  includes?: string[];
  extensions: Extension[];
}

export function step(app: string, label?: string): Step {
  return label === undefined ? { app } : { app, label };
}

export function renderDialplan(head: string, general: [string, string][], globals: [string, string][], contexts: readonly Context[]): string {
  const out = [head, '[general]', ...general.map(([k, v]) => `${k} = ${v}`), '', '[globals]', ...globals.map(([k, v]) => `${k} = ${v}`), ''];
  for (const c of contexts) {
    if (c.comment) out.push(...c.comment.split('\n').map((line) => `; ${line}`));
    out.push(`[${c.name}]`);
    for (const inc of c.includes ?? []) out.push(`include => ${inc}`);
    for (const e of c.extensions) {
      if (e.comment) out.push(`; ${e.comment}`);
      if (e.hint) out.push(`exten => ${e.pattern},hint,${e.hint}`);
      e.steps.forEach((s, i) => {
        const priority = i === 0 ? '1' : 'n';
        const label = s.label ? `(${s.label})` : '';
        out.push(i === 0 ? `exten => ${e.pattern},${priority}${label},${s.app}` : ` same => ${priority}${label},${s.app}`);
      });
    }
    out.push('');
  }
  return out.join('\n');
}
