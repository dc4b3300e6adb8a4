import { describe, expect, it } from 'vitest';
import { BASE, findings } from '../../helpers/project.js';

const withEmergency = (yaml: string) => yaml.replace('  classes:', '    emergency: { patterns: ["112", "_99[79]"], trunks: [carrier], emergency: true }\n  classes:');

describe('emergency-shadowed', () => {
  it.each([
    ['a user on 112', BASE.replace('extension: "1003"', 'extension: "112"'), 21, 18, 'user Ewa has extension 112'],
    ['a queue on 999 (pattern _99[79])', BASE.replace('extension: "600"', 'extension: "999"'), 24, 16, 'queue support has extension 999'],
  ])('refuses %s', (_name, yaml, line, column, message) => {
    const [d, ...rest] = findings({ 'callplan.yaml': withEmergency(yaml) }, 'emergency-shadowed');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'error', line, column });
    expect(d!.message).toContain(message);
    expect(d!.hint).toMatch(/emergency services/);
  });

  it.each([
    ['numbers no emergency route dials', withEmergency(BASE)],
    ['112 as an extension when no route is marked emergency', BASE.replace('extension: "1003"', 'extension: "112"')],
    ['998, which _99[79] does not match', withEmergency(BASE.replace('extension: "600"', 'extension: "998"'))],
  ])('accepts %s', (_name, yaml) => {
    expect(findings({ 'callplan.yaml': yaml }, 'emergency-shadowed')).toEqual([]);
  });
});
