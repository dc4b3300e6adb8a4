import type { PacingSettings } from './pacing/types.js';

/**
 * dialer/campaigns.json: what `callplan build` hands the live daemon (`callplan dialer run`). The
 * dialer target writes it from the model; the daemon reads it and nothing else of the project.
 * No secret is in it: the AMI secret is derived at run time from the master secret the project
 * names (`masterSecret`, a reference such as `${env:CALLPLAN_DEVICE_MASTER}`), as the Asterisk
 * target derived it for manager.conf.
 */
export const CAMPAIGNS_FILE = 'dialer/campaigns.json';
export const CAMPAIGNS_FILE_VERSION = 1;

export interface DialerAmi {
  host: string;
  port: number;
  username: string;
  /** The reference to secrets.device_master (never its value). */
  masterSecret: string;
  /** What the secret is derived for (the HMAC purpose). */
  purpose: string;
  /** Where a `${secret:...}` master is read from on the PBX host. */
  secretsFile?: string;
}

export interface DialerAgent {
  extension: string;
  tier: 'primary' | 'backup';
  /** The queue member's interface, as QueueMemberStatus names it. */
  interface: string;
}

export interface DialerCampaign {
  name: string;
  /** The queue whose members take the calls. */
  queue: string;
  agents: DialerAgent[];
  /** Seconds of wrap-up the queue gives an agent after a call. */
  wrapupSeconds: number;
  /** Where an answered callee goes (Originate Context, exten s). */
  context: string;
  /** The Originate Channel, with {number} for the E.164 digits. */
  channel: string;
  callerId?: string;
  /** Contact fields that travel with the call (CP_DATA, the X-CP-Data header). */
  fields: string[];
  settings: PacingSettings;
}

export interface CampaignsFile {
  version: number;
  project: string;
  ami: DialerAmi;
  /** The pause reasons agents may be set not ready with over the API (the project's not-ready agent statuses). */
  agentReasons?: string[];
  campaigns: DialerCampaign[];
}

/** The file's text: settings with sets as sorted arrays and infinite limits as null (JSON has neither). */
export function formatCampaignsFile(file: CampaignsFile): string {
  const replacer = (_key: string, value: unknown) => {
    if (value instanceof Set) return [...value].sort();
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
    return value;
  };
  return `${JSON.stringify(file, replacer, 2)}\n`;
}

/** A campaigns.json that is not what this callplan writes: which file, where and what. */
export class CampaignsFileError extends Error {}

/** Reads what formatCampaignsFile wrote; refuses a file of another version or shape, naming the field. */
export function parseCampaignsFile(text: string, source: string): CampaignsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CampaignsFileError(`${source}: not JSON (${(e as Error).message}); rebuild it with callplan build`);
  }
  const fail = (where: string, what: string): never => {
    throw new CampaignsFileError(`${source}: ${where}: ${what}; rebuild it with this callplan's build`);
  };
  const obj = (v: unknown, where: string): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(where, 'must be an object'));
  const str = (v: unknown, where: string): string => (typeof v === 'string' && v !== '' ? v : fail(where, 'must be a non-empty string'));
  const num = (v: unknown, where: string): number => (typeof v === 'number' ? v : fail(where, 'must be a number'));
  const root = obj(data, '(top)');
  if (root.version !== CAMPAIGNS_FILE_VERSION) fail('version', `is ${JSON.stringify(root.version)}, this callplan reads version ${CAMPAIGNS_FILE_VERSION}`);
  const ami = obj(root.ami, 'ami');
  const out: CampaignsFile = {
    version: CAMPAIGNS_FILE_VERSION,
    project: str(root.project, 'project'),
    ami: {
      host: str(ami.host, 'ami.host'),
      port: num(ami.port, 'ami.port'),
      username: str(ami.username, 'ami.username'),
      masterSecret: str(ami.masterSecret, 'ami.masterSecret'),
      purpose: str(ami.purpose, 'ami.purpose'),
      ...(ami.secretsFile !== undefined && { secretsFile: str(ami.secretsFile, 'ami.secretsFile') }),
    },
    campaigns: [],
  };
  if (root.agentReasons !== undefined) {
    if (!Array.isArray(root.agentReasons)) fail('agentReasons', 'must be a list');
    out.agentReasons = (root.agentReasons as unknown[]).map((r, i) => str(r, `agentReasons[${i}]`));
  }
  if (!Array.isArray(root.campaigns)) fail('campaigns', 'must be a list');
  (root.campaigns as unknown[]).forEach((raw, i) => {
    const where = (k: string) => `campaigns[${i}].${k}`;
    const c = obj(raw, `campaigns[${i}]`);
    const s = obj(c.settings, where('settings'));
    const profile = obj(s.profile, where('settings.profile'));
    const window = obj(s.window, where('settings.window'));
    if (!Array.isArray(window.holidays)) fail(where('settings.window.holidays'), 'must be a list');
    const settings = {
      ...s,
      profile: { ...profile, connectWithinSeconds: profile.connectWithinSeconds === null ? Infinity : num(profile.connectWithinSeconds, where('settings.profile.connectWithinSeconds')) },
      window: { ...window, holidays: new Set(window.holidays as string[]) },
    } as unknown as PacingSettings;
    str(settings.campaign, where('settings.campaign'));
    str(settings.mode, where('settings.mode'));
    if (!Array.isArray(c.agents)) fail(where('agents'), 'must be a list');
    out.campaigns.push({
      name: str(c.name, where('name')),
      queue: str(c.queue, where('queue')),
      agents: (c.agents as unknown[]).map((a, k) => {
        const ag = obj(a, where(`agents[${k}]`));
        return { extension: str(ag.extension, where(`agents[${k}].extension`)), tier: ag.tier === 'backup' ? 'backup' : 'primary', interface: str(ag.interface, where(`agents[${k}].interface`)) };
      }),
      wrapupSeconds: num(c.wrapupSeconds, where('wrapupSeconds')),
      context: str(c.context, where('context')),
      channel: str(c.channel, where('channel')),
      ...(c.callerId !== undefined && { callerId: str(c.callerId, where('callerId')) }),
      fields: Array.isArray(c.fields) ? (c.fields as unknown[]).map((f, k) => str(f, where(`fields[${k}]`))) : fail(where('fields'), 'must be a list'),
      settings,
    });
  });
  return out;
}
