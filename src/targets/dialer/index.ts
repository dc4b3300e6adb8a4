import path from 'node:path/posix';
import { CAMPAIGNS_FILE_VERSION, formatCampaignsFile, type CampaignsFile, type DialerCampaign } from '../../dialer/campaigns-file.js';
import { DEFAULT_AGENT_REASONS } from '../../dialer/agent-reasons.js';
import { settingsFromCampaign } from '../../dialer/campaign.js';
import type { Campaign, Model } from '../../model/types.js';
import { CONFIG_DIR } from '../archive/index.js';
import { header } from '../asterisk/conf/header.js';
import { dialerContext, dialerOutContext } from '../asterisk/dialplan/campaigns.js';
import { AMI_USER, pbxNode } from '../asterisk/names.js';
import { QUEUE_MEMBER_CONTEXT } from '../asterisk/queues.js';
import { HOST_PROTECTION, NODE_SYSCALL_FILTER, PROCESS_RESTRICTIONS } from '../systemd-sandbox.js';
import type { Target } from '../target.js';
import { asteriskNodes, hasEdge, nodeDir } from '../topology.js';

/**
 * dialer/: the pacing daemon's input (`campaigns.json`) and its hardened systemd unit, for projects
 * with campaigns. Without an edge, one daemon beside the one Asterisk (`dialer/`). With an edge,
 * one daemon per Asterisk node that runs campaigns (`nodes/<node>/dialer/`), each with only its
 * campaigns and its node's manager: a campaign runs on its `node`, by default the first Asterisk
 * node by name (a campaign dialled by two daemons would call its contacts twice). Install: the
 * build at /srv/callplan/build, the master secret's variable in /etc/callplan/dialer.env (root,
 * 0600), a system user `callplan-dialer`, `systemctl enable --now callplan-dialer.service`.
 */
export const DIALER_UNIT_NAME = 'callplan-dialer';
export const RUN_AS = 'callplan-dialer';
/** Where the build is on the PBX host (as the nginx snippet of the provisioning target assumes). */
export const BUILD_ON_HOST = '/srv/callplan/build';
export const DIALER_ENVIRONMENT_FILE = '/etc/callplan/dialer.env';
/** The API's bearer token on the PBX host (root, 0600), passed to the service as a credential. */
export const API_TOKEN_FILE = '/etc/callplan/dialer-api-token';

export const dialerTarget: Target = {
  name: 'dialer',
  description: 'dialer/: campaigns.json for `callplan dialer run` and its systemd unit (one per Asterisk node with campaigns behind an edge)',
  compile(model) {
    const out = new Map<string, string>();
    if (model.campaigns.length === 0) return out;
    if (!hasEdge(model)) {
      out.set('dialer/campaigns.json', formatCampaignsFile(campaignsFile(model)));
      out.set(`dialer/${DIALER_UNIT_NAME}.service`, service(model, BUILD_ON_HOST, `dialer/${DIALER_UNIT_NAME}.service`));
      return out;
    }
    for (const node of asteriskNodes(model)) {
      if (!model.campaigns.some((c) => campaignNode(model, c) === node.name)) continue;
      const dir = `${nodeDir(node)}/dialer`;
      out.set(`${dir}/campaigns.json`, formatCampaignsFile(campaignsFile(model, node.name)));
      out.set(`${dir}/${DIALER_UNIT_NAME}.service`, service(model, path.join(BUILD_ON_HOST, nodeDir(node)), `${dir}/${DIALER_UNIT_NAME}.service`));
    }
    return out;
  },
};

/** The Asterisk node whose daemon dials a campaign (behind an edge): its `node`, else the first Asterisk node by name. */
export function campaignNode(model: Model, c: Campaign): string | undefined {
  return c.node ?? asteriskNodes(model)[0]?.name;
}

/** campaigns.json of the one PBX, or (behind an edge) of one Asterisk node: only the campaigns it runs. */
export function campaignsFile(model: Model, nodeName?: string): CampaignsFile {
  const node = nodeName !== undefined ? asteriskNodes(model).find((n) => n.name === nodeName)! : hasEdge(model) ? asteriskNodes(model)[0]! : pbxNode(model);
  const campaigns = nodeName !== undefined || hasEdge(model) ? model.campaigns.filter((c) => campaignNode(model, c) === (nodeName ?? asteriskNodes(model)[0]!.name)) : model.campaigns;
  const master = model.secrets.deviceMaster;
  return {
    version: CAMPAIGNS_FILE_VERSION,
    project: model.name,
    ami: {
      // The manager listens on loopback only (manager.conf); the daemon runs beside it.
      host: '127.0.0.1',
      port: node.amiPort,
      username: AMI_USER,
      masterSecret: master ? `\${${master.source}:${master.name}}` : '${env:CALLPLAN_DEVICE_MASTER}',
      purpose: `ami:${AMI_USER}`,
      ...(master?.source === 'secret' && model.secrets.file !== undefined && { secretsFile: path.resolve(CONFIG_DIR, model.secrets.file) }),
    },
    agentReasons: agentReasons(model),
    campaigns: campaigns.map((c) => campaign(model, c)),
  };
}

/** The pause reasons the API may set: the project's not-ready agent statuses, else the defaults. */
function agentReasons(model: Model): string[] {
  const own = model.agentStatuses.filter((s) => !s.ready).map((s) => s.name);
  return own.length > 0 ? own : [...DEFAULT_AGENT_REASONS];
}

function campaign(model: Model, c: Campaign): DialerCampaign {
  const queue = model.queues.find((q) => q.name === c.queue);
  const agents = [...new Map((queue?.members ?? []).map((m) => [m.extension, m])).values()].map((m) => ({
    extension: m.extension,
    tier: m.tier,
    interface: `Local/${m.extension}@${QUEUE_MEMBER_CONTEXT}/n`,
  }));
  return {
    name: c.name,
    queue: c.queue,
    agents,
    wrapupSeconds: queue?.wrapup ?? 0,
    context: dialerContext(c.name),
    channel: `Local/{number}@${dialerOutContext(c.name)}/n`,
    ...(c.callerId !== undefined && { callerId: c.callerId }),
    fields: c.contacts.fields,
    settings: settingsFromCampaign(model, c),
  };
}

function service(model: Model, buildDir: string, file: string): string {
  const master = model.secrets.deviceMaster;
  const secretsFile = master?.source === 'secret' && model.secrets.file !== undefined ? path.resolve(CONFIG_DIR, model.secrets.file) : undefined;
  return [
    header(file, model, '#').trimEnd(),
    '# The pacing daemon (`callplan dialer run`, see docs/dialer.md): places the campaigns\' calls through',
    "# Asterisk's manager on loopback and keeps every contact and attempt in its state directory.",
    '',
    '[Unit]',
    `Description=callplan: the pacing dialer of ${model.name.replace(/%/g, '%%')}`,
    'Documentation=man:systemd.exec(5)',
    'After=network-online.target asterisk.service',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${RUN_AS}`,
    `Group=${RUN_AS}`,
    '# /var/lib/callplan-dialer, created and owned for the service by systemd: the SQLite state (WAL).',
    'StateDirectory=callplan-dialer',
    'StateDirectoryMode=0700',
    ...(master?.source === 'env' ? [`# ${DIALER_ENVIRONMENT_FILE} (root, 0600) holds ${master.name}=...: the manager's secret is derived from it.`, `EnvironmentFile=${DIALER_ENVIRONMENT_FILE}`] : []),
    ...(secretsFile ? ['# The secrets file reaches the service as a credential: it stays readable by root alone.', `LoadCredential=callplan-secrets:${secretsFile.replace(/%/g, '%%')}`] : []),
    '# The HTTP API (127.0.0.1:8089) reads its bearer token from this credential; it stays readable by root alone.',
    `LoadCredential=api-token:${API_TOKEN_FILE}`,
    `ExecStart=/usr/bin/env callplan dialer run ${buildDir.replace(/%/g, '%%')} --state /var/lib/callplan-dialer${secretsFile ? ' --secrets-file %d/callplan-secrets' : ''}`,
    '# SIGTERM: no new calls, the calls placed go on in Asterisk, the state is closed; a restart reconciles them.',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=20s',
    'Restart=on-failure',
    'RestartSec=2s',
    'UMask=0077',
    '# Hardening: the state directory is the only place it may write; it talks to 127.0.0.1 only.',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    ...HOST_PROTECTION,
    'ProtectProc=invisible',
    'ProcSubset=pid',
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
    'IPAddressDeny=any',
    'IPAddressAllow=localhost',
    ...PROCESS_RESTRICTIONS,
    'RemoveIPC=yes',
    ...NODE_SYSCALL_FILTER,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
