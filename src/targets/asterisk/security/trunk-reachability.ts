import { parseDialplan, unauthenticatedContexts, type ParsedContext } from './parse.js';

export interface TollFraudPath {
  /** Contexts from the entry point to the context that dials out. */
  path: string[];
}

/**
 * Toll-fraud check over the generated files: from every context a call can enter without
 * authenticating, no path may reach a context that dials a trunk with a number the caller
 * chose (a pattern extension: `_X.`, `_00X.` ...). Forwarding to a fixed number written in the
 * project (cp-external) is allowed: the caller cannot pick where it goes. `authenticatingEdges`:
 * the Kamailio edges' addresses, which authenticate phones for a node behind them.
 */
export function findTollFraudPaths(extensionsConf: string, pjsipConf: string, authenticatingEdges: readonly string[] = []): TollFraudPath[] {
  const contexts = parseDialplan(extensionsConf);
  const dialsOut = new Set([...contexts.values()].filter(callerChoosesNumber).map((c) => c.name));
  const found: TollFraudPath[] = [];
  for (const entry of unauthenticatedContexts(pjsipConf, authenticatingEdges)) {
    const parent = new Map<string, string | undefined>([[entry, undefined]]);
    const queue = [entry];
    for (let i = 0; i < queue.length; i++) {
      const name = queue[i]!;
      if (dialsOut.has(name)) {
        const path = [name];
        for (let p = parent.get(name); p !== undefined; p = parent.get(p)) path.unshift(p);
        found.push({ path });
        continue;
      }
      for (const next of successors(contexts.get(name), contexts)) {
        if (parent.has(next)) continue;
        parent.set(next, name);
        queue.push(next);
      }
    }
  }
  return found;
}

/** A context with a pattern extension that hands the dialled digits to a trunk dial. */
function callerChoosesNumber(c: ParsedContext): boolean {
  return [...c.extensions].some(([pattern, apps]) => pattern.startsWith('_') && apps.some((a) => /^(Gosub|Goto)\(cp-outbound\b/.test(a) || /^Dial\(.*@trunk-/.test(a)));
}

/** Every context a call in `c` can move to: includes, jumps, subroutines and Local channels. */
function successors(c: ParsedContext | undefined, all: Map<string, ParsedContext>): string[] {
  if (!c) return [];
  const out = new Set(c.includes);
  for (const apps of c.extensions.values()) {
    for (const app of apps) {
      // Any "context,exten,priority" or Local/exten@context mentioned anywhere: Goto, Gosub,
      // GotoIf branches and Set(CP_NEXT=...) targets alike. Over-approximates, never misses.
      for (const m of app.matchAll(/([A-Za-z0-9_+-]+),[^,()?:]+,[0-9a-z-]+/g)) if (all.has(m[1]!)) out.add(m[1]!);
      for (const m of app.matchAll(/@([A-Za-z0-9_+-]+)/g)) if (all.has(m[1]!)) out.add(m[1]!);
    }
  }
  return [...out].sort();
}
