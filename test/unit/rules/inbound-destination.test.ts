import { describe, expect, it } from 'vitest';
import { BASE, check, findings } from '../../helpers/project.js';

const ROUTE = '  - did: "+48221234567"\n    open: [{ site: hq, to: ivr:main }]\n';

describe('inbound-destination', () => {
  it.each([
    ['both to and open', ROUTE.replace('    open:', '    to: queue:support\n    open:'), 32, 5, 'has both to and open'],
    ['neither', '  - did: "+48221234567"\n    trunk: carrier\n', 31, 5, 'does not say where calls go'],
    ['closed beside to', '  - did: "+48221234567"\n    to: ivr:main\n    closed: hangup\n', 33, 5, 'closed is never used with to:'],
  ])('refuses %s', (_name, route, line, column, message) => {
    const found = findings({ 'callplan.yaml': BASE.replace(ROUTE, route) }, 'inbound-destination');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', line, column });
    expect(found[0]!.message).toContain(message);
    expect(found[0]!.hint).toBeTruthy();
  });

  it('accepts a direct route, and normalizes it apart from a business-hours one', () => {
    const result = check({ 'callplan.yaml': BASE.replace(ROUTE, ROUTE + '  - did: "+48221234599"\n    name: Night line\n    to: ivr:main\n') });
    expect(result.diagnostics).toEqual([]);
    expect(result.model!.inbound.map((r) => r.route)).toEqual([
      { kind: 'sites', open: [{ site: 'hq', to: { kind: 'ivr', id: 'main' } }], closed: { kind: 'hangup' }, holiday: { kind: 'hangup' } },
      { kind: 'direct', to: { kind: 'ivr', id: 'main' } },
    ]);
  });
});
