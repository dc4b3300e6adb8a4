/**
 * The YAML as written, after the JSON Schema accepted it (schemas/callplan.schema.json is the
 * source of truth; these types are its TypeScript reading). Semantic rules read this shape;
 * targets never do: they read the normalized Model (types.ts).
 */

export type Secret = string;
export type Ref = string;

export interface RawProject {
  version?: 1;
  name?: string;
  description?: string;
  include?: string[];
  secrets?: RawSecrets;
  defaults?: RawDefaults;
  provisioning?: RawProvisioning;
  nodes?: Record<string, RawNode>;
  sites?: Record<string, RawSite>;
  trunks?: Record<string, RawTrunk>;
  groups?: Record<string, RawGroup>;
  users?: RawUser[];
  agent_statuses?: Record<string, RawAgentStatus>;
  music?: Record<string, RawMusic>;
  queues?: Record<string, RawQueue>;
  ivr?: Record<string, RawIvrMenu>;
  announcements?: Record<string, RawAnnouncement>;
  site_routers?: Record<string, RawSiteRouter>;
  inbound?: RawInboundRoute[];
  outbound?: RawOutbound;
  recording?: RawRecording;
  supervisors?: RawSupervisor[];
  conferences?: Record<string, RawConference>;
  campaigns?: Record<string, RawCampaign>;
}

export interface RawSecrets {
  file?: string;
  device_master?: Secret;
  external_dialer?: Secret;
}

export interface RawNoAnswer {
  after: number;
  then?: string[];
}

export interface RawDefaults {
  language?: string;
  codecs?: string[];
  no_answer?: RawNoAnswer;
  outbound_class?: string;
  voicemail?: boolean;
  pickup_prefix?: string;
}

export interface RawProvisioning {
  url?: string;
  ntp?: string;
  admin_password?: Secret;
  update_policy?: 'auto' | 'ask' | 'never';
  firmware?: Record<string, string>;
}

export interface RawNode {
  role: 'asterisk' | 'kamailio';
  address: string;
  public_address?: string;
  weight?: number;
  sip_port?: number;
  ami_port?: number;
  ssh?: { host?: string; port?: number; user?: string; host_key?: string };
  deploy?: { root?: string; asterisk?: string; systemctl?: string; log?: string; ignore_errors?: string[]; kamcmd?: string; restart?: string };
  phones?: 'internal' | 'external';
  tls?: { port?: number; certificate: string; private_key: string };
}

export interface RawSite {
  description?: string;
  timezone: string;
  language?: string;
  ntp?: string;
  hours?: Record<string, string>;
  holidays?: RawHoliday[];
  override?: boolean;
}

export interface RawHoliday {
  name?: string;
  date?: string;
  from?: string;
  to?: string;
  hours?: string;
}

export interface RawTrunk {
  description?: string;
  auth: 'registration' | 'ip';
  host: string;
  port?: number;
  transport?: 'udp' | 'tcp' | 'tls';
  username?: string;
  password?: Secret;
  from_domain?: string;
  addresses?: string[];
  caller_id?: string;
  max_channels?: number;
  codecs?: string[];
  priority?: number;
  currency?: string;
  prices?: { prefix: string; per_minute: number }[];
}

export interface RawGroup {
  description?: string;
  site?: string;
  supervisor?: Ref;
  secretary?: Ref;
  pickup?: boolean;
  ring_timeout?: number;
}

export interface RawDevice {
  type: 'snom' | 'softphone';
  model?: string;
  mac?: string;
  name?: string;
  password?: Secret;
}

export interface RawUser {
  extension: string;
  name: string;
  email?: string;
  site: string;
  group?: string;
  roles?: ('agent' | 'supervisor' | 'secretary' | 'manager')[];
  language?: string;
  outbound?: string;
  voicemail?: boolean | { email?: string; attach?: boolean };
  devices?: RawDevice[];
  mobile?: string;
  no_answer?: RawNoAnswer;
  max_contacts?: { voice?: number; chat?: number; email?: number };
  speed_dials?: { label: string; number: string }[];
  keys?: RawFunctionKey[];
}

/** Exactly one of the actions (the schema's oneOf), and an optional label. */
export interface RawFunctionKey {
  blf?: Ref;
  speed?: string;
  queue?: Ref;
  agent?: 'login' | 'logout' | 'pause';
  /** A not-ready agent status (its *94N). */
  status?: string;
  spy?: 'listen' | 'whisper' | 'barge';
  override?: string;
  label?: string;
}

export interface RawAgentStatus {
  ready: boolean;
  /** Not-ready statuses: the digit N of the phone code *94N. */
  code?: number;
  max_minutes?: number;
  description?: string;
}

export interface RawQueue {
  description?: string;
  extension?: string;
  site?: string;
  strategy?: 'ringall' | 'leastrecent' | 'fewestcalls' | 'random' | 'rrmemory' | 'linear' | 'wrandom';
  members: { primary: Ref[]; backup?: Ref[] };
  backup_after?: number;
  ring_timeout?: number;
  wrapup?: number;
  max_wait?: number;
  max_callers?: number;
  overflow?: Ref;
  announce?: { position?: boolean; hold_time?: boolean; every?: number };
  music?: string;
  weight?: number;
}

export interface RawIvrMenu {
  description?: string;
  prompt: string;
  language?: string;
  options: Record<string, Ref>;
  timeout?: number;
  retries?: number;
  on_timeout?: Ref;
  on_invalid?: Ref;
}

export interface RawAnnouncement {
  description?: string;
  prompt: string;
  then?: Ref;
}

export type RawOpenSites = { site: string; to: Ref }[];

export interface RawSiteRouter {
  description?: string;
  open: RawOpenSites;
  closed?: Ref;
  holiday?: Ref;
}

export interface RawMusic {
  description?: string;
  directory: string;
  order?: 'alphabetical' | 'random';
}

export interface RawInboundRoute {
  name?: string;
  did: string | string[];
  trunk?: string;
  to?: Ref;
  open?: RawOpenSites;
  closed?: Ref;
  holiday?: Ref;
}

export interface RawOutbound {
  routes?: Record<string, RawOutboundRoute>;
  classes?: Record<string, string[]>;
}

export interface RawOutboundRoute {
  description?: string;
  patterns: string[];
  trunks: string[];
  order?: 'listed' | 'priority' | 'least-cost';
  strip?: number;
  prepend?: string;
  emergency?: boolean;
}

export interface RawRecording {
  format?: 'wav' | 'wav49' | 'gsm' | 'ogg';
  directory?: string;
  policies?: RawRecordingPolicy[];
  archive?: RawArchive;
}

export interface RawRecordingPolicy {
  name: string;
  queues?: Ref[];
  users?: Ref[];
  groups?: Ref[];
  campaigns?: Ref[];
  directions?: ('inbound' | 'outbound' | 'internal')[];
  percentage?: number;
}

export interface RawArchive {
  url: string;
  username?: string;
  password?: Secret;
  layout?: string;
  older_than?: string;
  verify?: 'size' | 'hash';
  keep_local?: boolean;
  every?: string;
  ca?: string;
}

export interface RawSupervisor {
  user: Ref;
  queues: Ref[];
  modes?: ('listen' | 'whisper' | 'barge')[];
}

export interface RawConference {
  description?: string;
  extension: string;
  pin?: Secret;
  admin_pin?: Secret;
  max_members?: number;
  record?: boolean;
  music?: string;
}

export interface RawRetry {
  max: number;
  after?: string;
}

export type RetryOutcome = 'no_answer' | 'busy' | 'machine' | 'failed' | 'abandoned';

/** Profile rules a campaign may switch off (with a reason); abandon limit and calling hours have their own overrides. */
export type ComplianceRuleKey = 'connect_within' | 'min_ring' | 'abandon_message' | 'amd_false_positive' | 'no_redial_after_abandon';

export interface RawCampaign {
  description?: string;
  mode: 'preview' | 'progressive' | 'predictive';
  queue: Ref;
  caller_id?: string;
  outbound_class?: string;
  /** The Asterisk node whose dialer runs it. */
  node?: string;
  holidays_of?: string;
  contacts: {
    source: 'csv' | 'api';
    file?: string;
    numbers?: string[];
    timezone_field?: string;
    timezone?: string;
    fields?: string[];
    number_types?: Record<string, 'mobile' | 'landline'>;
    priority_field?: string;
    do_not_call?: string[];
  };
  window: { from: string; to: string; days?: string; override?: string };
  retries?: Partial<Record<RetryOutcome, RawRetry>>;
  amd?: { enabled?: boolean; on_machine?: 'hangup' | 'message'; message?: string; false_positive_percent?: number };
  abandon?: { max_percent?: number; window?: string; override?: string; message?: string };
  compliance?: { profile?: 'us-tsr' | 'uk-ofcom' | 'custom'; switch_off?: Partial<Record<ComplianceRuleKey, string>> };
  callback?: { same_agent?: boolean; fallback_after?: string; then?: 'any-agent' | 'wait' };
  preview?: { time?: number; allow_skip?: boolean };
  progressive?: { read_time?: number };
  predictive?: { max_ratio?: number; ring_timeout?: number };
}
