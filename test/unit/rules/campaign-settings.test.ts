import { describe, expect, it } from 'vitest';
import { BASE, findings } from '../../helpers/project.js';

const campaign = (mode: string, extra = '') => `${BASE}campaigns:
  c1:
    mode: ${mode}
    queue: queue:support
    contacts: { source: api }
    window: { from: "09:00", to: "20:00" }
${extra}`;

const NODES = 'nodes:\n  edge: { role: kamailio, address: 10.0.0.1 }\n  pbx-a: { role: asterisk, address: 10.0.0.2 }\n  pbx-b: { role: asterisk, address: 10.0.0.3 }\n';

describe('campaign-settings', () => {
  it.each([
    ['a predictive block in a progressive campaign', campaign('progressive', '    predictive: { max_ratio: 2 }\n'), 'c1 is progressive, so its predictive settings would be ignored', 44, 5],
    ['AMD leaving a message without one', campaign('predictive', '    amd: { enabled: true, on_machine: message }\n'), 'names none', 44, 39],
    ['a message AMD never plays', campaign('predictive', '    amd: { enabled: true, message: custom/callback }\n'), 'never played', 44, 36],
    ['AMD on preview calls', campaign('preview', '    amd: { enabled: true }\n'), 'preview mode', 44, 21],
    ['a number type for a field that is not a number', campaign('predictive').replace('contacts: { source: api }', 'contacts: { source: api, numbers: [mobile, home], number_types: { mobile: mobile, work: landline } }'), 'number_types names work, which is not one of its numbers (mobile, home)', 42, 87],
    ['a node that is not one', `${campaign('predictive', '    node: pbx-c\n')}${NODES}`, 'c1 runs on node pbx-c, which is not a node of the project', 44, 11],
    ['a node that is the edge', `${campaign('predictive', '    node: edge\n')}${NODES}`, 'c1 runs on node edge, which is a kamailio node', 44, 11],
  ])('refuses %s', (_name, yaml, message, line, column) => {
    const [d, ...rest] = findings({ 'callplan.yaml': yaml }, 'campaign-settings');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'error', line, column });
    expect(d!.message).toContain(message);
    expect(d!.hint).toBeTruthy();
  });

  it.each([
    ['a plain predictive campaign', campaign('predictive')],
    ['preview with its own block', campaign('preview', '    preview: { time: 45 }\n')],
    ['AMD leaving a message it names', campaign('predictive', '    amd: { enabled: true, on_machine: message, message: custom/callback }\n')],
    ['a campaign pinned to an Asterisk node', `${campaign('predictive', '    node: pbx-b\n')}${NODES}`],
    ['number types of its numbers', campaign('predictive').replace('contacts: { source: api }', 'contacts: { source: api, numbers: [mobile, home], number_types: { mobile: mobile, home: landline } }')],
  ])('accepts %s', (_name, yaml) => {
    expect(findings({ 'callplan.yaml': yaml }, 'campaign-settings')).toEqual([]);
  });
});
