import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { Model } from '../../../model/types.js';
import type { SecretResolver } from '../../../secrets/resolve.js';
import type { FileTree } from '../../target.js';
import { extensionsConf } from '../dialplan/extensions.js';
import { pjsipConf } from '../pjsip.js';
import { findTollFraudPaths } from './trunk-reachability.js';

/** The analysis needs the shape of pjsip.conf, not its passwords. */
const NO_VALUES: SecretResolver = { value: () => 'x', derived: () => 'x', derivedPin: () => '0' };

/**
 * Refuses any path from an unauthenticated entry to a caller-chosen trunk call, checked on the
 * generated files: those of a build when given, else compiled in memory (validate).
 */
export function asteriskSecurityDiagnostics(model: Model, file: string, built?: FileTree): Diagnostic[] {
  const dialplan = built?.get('asterisk/extensions.conf') ?? extensionsConf(model);
  const pjsip = built?.get('asterisk/pjsip.conf') ?? pjsipConf(model, NO_VALUES);
  return findTollFraudPaths(dialplan, pjsip).map(({ path }) => ({
    severity: 'error',
    rule: 'toll-fraud-path',
    message: `an unauthenticated call could dial out through a trunk: ${path.join(' → ')}`,
    hint: 'Calls from carriers must only reach DIDs, queues, menus and people. This is a bug in callplan if the project does not forward inbound calls on purpose; please report it.',
    file,
    line: 1,
    column: 1,
  }));
}
