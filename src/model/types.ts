/**
 * The normalized model: defaults applied, references resolved and typed, collections sorted.
 * Every target compiles from this and nothing else. It holds secret references, never values.
 */
import type { SecretRef } from '../secrets/refs.js';
import type { CalendarDate, TimeRange, Weekday } from './time.js';

export type { SecretRef, CalendarDate, TimeRange, Weekday };

/** Where a call can go. `id` is an extension for user/voicemail, a name otherwise, a number for external. */
export type Target =
  | { kind: 'user' | 'voicemail' | 'queue' | 'ivr' | 'group' | 'conference' | 'announcement' | 'site-router' | 'external'; id: string }
  | { kind: 'hangup' };

export type MenuTarget = Target | { kind: 'repeat' };

/** A no-answer step: a target, with the role that chose it when it came from group/supervisor/secretary. */
export type NoAnswerStep = Target & { via?: 'group' | 'supervisor' | 'secretary' | 'own-voicemail' };

export type Codec = 'opus' | 'g722' | 'alaw' | 'ulaw' | 'gsm' | 'g729';

export interface Model {
  version: 1;
  name: string;
  description?: string;
  defaults: { language: string; codecs: Codec[]; pickupPrefix: string };
  /** externalDialer: the manager secret of another vendor's dialer (docs/dialer.md, "External dialers"). */
  secrets: { file?: string; deviceMaster?: SecretRef; externalDialer?: SecretRef };
  provisioning?: Provisioning;
  nodes: PbxNode[];
  sites: Site[];
  trunks: Trunk[];
  groups: Group[];
  users: User[];
  agentStatuses: AgentStatus[];
  music: MusicClass[];
  queues: Queue[];
  ivr: IvrMenu[];
  announcements: Announcement[];
  siteRouters: SiteRouter[];
  inbound: InboundRoute[];
  outbound: { routes: OutboundRoute[]; classes: PermissionClass[] };
  recording: Recording;
  supervisors: Supervisor[];
  conferences: Conference[];
  campaigns: Campaign[];
}

export interface Provisioning {
  url?: string;
  ntp?: string;
  adminPassword?: SecretRef;
  updatePolicy: 'auto' | 'ask' | 'never';
  firmware: Record<string, string>;
}

export interface PbxNode {
  name: string;
  role: 'asterisk' | 'kamailio';
  address: string;
  publicAddress?: string;
  weight: number;
  sipPort: number;
  amiPort: number;
  ssh: { host: string; port: number; user: string; hostKey?: string };
  /**
   * Where `deploy` puts releases on the host, Asterisk's CLI command there (words), systemctl there
   * (words), its full log, log errors that are the host's; on the edge, Kamailio's RPC command
   * (words) and how to restart it.
   */
  deploy: { root: string; asterisk: string[]; systemctl: string[]; log: string; ignoreErrors: string[]; kamcmd?: string[]; restart?: string[] };
  /** Kamailio edge: where phones reach it from (internal: at address; external: at public_address). */
  phones?: 'internal' | 'external';
  /** Kamailio edge: SIP over TLS for phones. Paths on the edge host. */
  tls?: { port: number; certificate: string; privateKey: string };
}

export interface Holiday {
  name?: string;
  /** A yearly holiday has dates without a year. */
  from: CalendarDate;
  to: CalendarDate;
  /** Open these hours that day; empty when closed all day. */
  hours: TimeRange[];
}

export interface Site {
  name: string;
  description?: string;
  timezone: string;
  language: string;
  ntp?: string;
  /** Every weekday, in order; an empty list means closed. */
  hours: Record<Weekday, TimeRange[]>;
  holidays: Holiday[];
  override: boolean;
}

export interface Trunk {
  name: string;
  description?: string;
  auth: 'registration' | 'ip';
  host: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  username?: string;
  password?: SecretRef;
  fromDomain?: string;
  addresses: string[];
  callerId?: string;
  maxChannels?: number;
  codecs: Codec[];
  priority: number;
  currency?: string;
  /** Longest prefix first, so the first match is the one that applies. */
  prices: { prefix: string; perMinute: number }[];
}

export interface Group {
  name: string;
  description?: string;
  site?: string;
  supervisor?: string;
  secretary?: string;
  pickup: boolean;
  ringTimeout: number;
  /** Extensions of the users in this group. */
  members: string[];
}

export interface Device {
  /** Unique per project: `<extension>-<mac>` or `<extension>-<softphone name>`. */
  id: string;
  type: 'snom' | 'softphone';
  model?: string;
  /** Upper case, no separators, as SNOM phones request their files. */
  mac?: string;
  /** Own secret, or derived from secrets.deviceMaster. */
  password: SecretRef | { derived: true };
}

export interface User {
  extension: string;
  name: string;
  email?: string;
  site: string;
  group?: string;
  roles: ('agent' | 'supervisor' | 'secretary' | 'manager')[];
  language: string;
  outboundClass?: string;
  voicemail: { email?: string; attach: boolean } | null;
  devices: Device[];
  mobile?: string;
  noAnswer: { after: number; then: NoAnswerStep[] } | null;
  maxContacts: { voice: number; chat: number; email: number };
  speedDials: { label: string; number: string }[];
  /** The SNOM function keys as the user declared them, in order; absent: callplan lays them out. */
  keys?: FunctionKey[];
}

/** One declared key of a user's SNOM phones. Ids are extensions (user), names (queue, site). */
export type FunctionKey = (
  | { kind: 'blf'; user: string }
  | { kind: 'speed'; number: string }
  | { kind: 'queue'; queue: string }
  | { kind: 'agent'; action: 'login' | 'logout' | 'pause' }
  /** Not ready with an agent status: dials its *94N. */
  | { kind: 'status'; status: string }
  | { kind: 'spy'; mode: 'listen' | 'whisper' | 'barge' }
  | { kind: 'override'; site: string }
) & { label?: string };

export interface AgentStatus {
  name: string;
  ready: boolean;
  /** Not-ready statuses: the digit N of the phone code *94N, fixed by the project. */
  code?: number;
  maxMinutes?: number;
  description?: string;
}

export interface QueueMember {
  extension: string;
  tier: 'primary' | 'backup';
  /** Asterisk penalty: primary 0, backup 10 (backup members are pulled in after backupAfter). */
  penalty: number;
  /** The group that brought this member in, if any. */
  group?: string;
}

export interface Queue {
  name: string;
  description?: string;
  extension?: string;
  site?: string;
  strategy: 'ringall' | 'leastrecent' | 'fewestcalls' | 'random' | 'rrmemory' | 'linear' | 'wrandom';
  members: QueueMember[];
  backupAfter: number;
  ringTimeout: number;
  wrapup: number;
  maxWait?: number;
  maxCallers?: number;
  overflow?: Target;
  announce: { position: boolean; holdTime: boolean; every: number };
  music: string;
  weight: number;
}

export interface IvrMenu {
  name: string;
  description?: string;
  prompt: string;
  language?: string;
  options: { digit: string; to: MenuTarget }[];
  timeout: number;
  retries: number;
  onTimeout: Target;
  onInvalid: Target;
}

export interface Announcement {
  name: string;
  description?: string;
  prompt: string;
  then: Target;
}

/** Follow the sun: sites in order, the first one open now takes the call. */
export interface OpenSites {
  open: { site: string; to: Target }[];
  closed: Target;
  /** When the first site has a holiday. */
  holiday: Target;
}

export interface InboundRoute {
  name: string;
  dids: string[];
  trunk?: string;
  /** Straight to one target at any hour, or to the first open site. */
  route: { kind: 'direct'; to: Target } | ({ kind: 'sites' } & OpenSites);
}

export interface SiteRouter extends OpenSites {
  name: string;
  description?: string;
}

export interface MusicClass {
  name: string;
  description?: string;
  directory: string;
  order: 'alphabetical' | 'random';
}

export interface OutboundRoute {
  name: string;
  description?: string;
  patterns: string[];
  trunks: string[];
  order: 'listed' | 'priority' | 'least-cost';
  strip: number;
  prepend: string;
  emergency: boolean;
}

export interface PermissionClass {
  name: string;
  /** Routes this class may dial, emergency routes included. */
  routes: string[];
}

export interface RecordingPolicy {
  name: string;
  queues: string[];
  users: string[];
  groups: string[];
  campaigns: string[];
  directions: ('inbound' | 'outbound' | 'internal')[];
  percentage: number;
}

export interface Recording {
  format: 'wav' | 'wav49' | 'gsm' | 'ogg';
  directory: string;
  policies: RecordingPolicy[];
  archive?: {
    url: string;
    username?: string;
    password?: SecretRef;
    layout: string;
    olderThan: number;
    verify: 'size' | 'hash';
    keepLocal: boolean;
    /** Seconds between runs on the PBX host (the systemd timer). */
    every: number;
    /** CA file on the PBX host, for a private CA. */
    ca?: string;
  };
}

export interface Supervisor {
  user: string;
  queues: string[];
  modes: ('listen' | 'whisper' | 'barge')[];
}

export interface Conference {
  name: string;
  description?: string;
  extension: string;
  pin?: SecretRef;
  adminPin?: SecretRef;
  maxMembers: number;
  record: boolean;
  music: string;
}

export type RetryOutcome = 'noAnswer' | 'busy' | 'machine' | 'failed' | 'abandoned';

export interface Campaign {
  name: string;
  description?: string;
  mode: 'preview' | 'progressive' | 'predictive';
  queue: string;
  callerId?: string;
  outboundClass?: string;
  /** The Asterisk node whose dialer daemon runs the campaign (default: the first by name). */
  node?: string;
  /** Site whose holidays the dialer keeps. */
  holidaysOf?: string;
  contacts: {
    source: 'csv' | 'api';
    file?: string;
    numbers: string[];
    timezoneField?: string;
    timezone?: string;
    fields: string[];
    /** Kind of each number field that names one. */
    numberTypes: Record<string, 'mobile' | 'landline'>;
    priorityField?: string;
    /** Do-not-call list files, relative to the project. */
    doNotCall: string[];
  };
  /** Minutes since midnight, callee-local. */
  window: { from: number; to: number; days: Weekday[]; override?: string };
  retries: Record<RetryOutcome, { max: number; afterSeconds: number }>;
  amd: { enabled: boolean; onMachine: 'hangup' | 'message'; message?: string; falsePositivePercent: number };
  abandon: { maxPercent: number; windowSeconds: number; override?: string; message?: string };
  /** The regulator's rules the dialer keeps; switched-off rules (kebab-case ids) with their reasons. */
  compliance: { profile: 'us-tsr' | 'uk-ofcom' | 'custom'; off: Record<string, string> };
  callback: { sameAgent: boolean; fallbackAfterSeconds: number; then: 'any-agent' | 'wait' };
  preview: { time: number; allowSkip: boolean };
  progressive: { readTime: number };
  predictive: { maxRatio: number; ringTimeout: number };
}
