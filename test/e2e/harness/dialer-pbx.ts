import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCampaignsFile } from '../../../src/dialer/campaigns-file.js';
import type { SqliteCampaignRuntime } from '../../../src/dialer/runtime/campaign-runtime.js';
import { openDialerState } from '../../../src/dialer/runtime/open.js';
import type { AsteriskContext } from './asterisk.js';
import { startCallplanPbx, type CallplanPbx } from './callplan-pbx.js';
import { calleeScenario } from './callee.js';
import type { UasAnswerOptions } from './scenarios.js';
import { startSippUas, type SippUas } from './sipp.js';

/**
 * What every dialer e2e file starts from: the callees (a SIPp UAS behind the trunk, on
 * 127.0.0.2), a real Asterisk running the project with its agents' phones registered, and a
 * build folder holding the project's dialer/campaigns.json with a state already loaded with
 * contacts (as `dialer load` or the API would have put them). The daemon itself is each file's
 * own business (in-process, or the real binary to be killed).
 */
export interface DialerPbx {
  pbx: CallplanPbx;
  callees: SippUas;
  /** A build folder: dialer/campaigns.json, as `callplan dialer run BUILD` reads it. */
  build: string;
  stateDir: string;
  /** Registers something to stop (a daemon) before the PBX and the callees. */
  onStop(stop: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

export async function startDialerPbx(o: {
  name: string;
  /** The project, given Asterisk's SIP and manager ports and the callees' address (the trunk's host). */
  project: (p: { sip: number; ami: number; carrier: string }) => string;
  phones: Record<string, UasAnswerOptions>;
  callee: { ringMs: number; talkMs: number };
  /** Loads the contacts into the state, by campaign. */
  contacts: (runtimes: ReadonlyMap<string, SqliteCampaignRuntime>) => void;
}): Promise<DialerPbx> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const callees = await startSippUas({ scenario: calleeScenario(o.callee), localIp: '127.0.0.2' });
    stops.push(() => callees.stop());
    const pbx = await startCallplanPbx({
      name: o.name,
      requireModules: ['app_queue.so', 'func_global.so'],
      project: ({ ports }: AsteriskContext) => o.project({ sip: ports.sip, ami: ports.ami, carrier: callees.address }),
      phones: o.phones,
    });
    stops.push(() => pbx.stop());
    const build = mkdtempSync(path.join(tmpdir(), `callplan-dialer-${o.name}-`));
    mkdirSync(path.join(build, 'dialer'));
    const text = pbx.files.get('dialer/campaigns.json')!;
    writeFileSync(path.join(build, 'dialer/campaigns.json'), text);
    const stateDir = path.join(build, 'state');
    const state = openDialerState(stateDir, parseCampaignsFile(text, 'campaigns.json').campaigns.map((c) => c.settings));
    o.contacts(state.runtimes);
    state.close();
    return { pbx, callees, build, stateDir, onStop: (s) => stops.push(s), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
