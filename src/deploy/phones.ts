import type { ProvisionedPhone } from '../provision/phones.js';
import { phoneListFile, phonebookFile, settingsFile, typeListFile } from '../targets/snom/files.js';
import type { FileChange } from './release.js';

/**
 * The SNOM phones whose provisioning files changed between two releases: its own settings and
 * file list, its model's list, or its site's directory. Only these are told to resync.
 */
export function phonesToResync(phones: readonly ProvisionedPhone[], changes: readonly FileChange[]): ProvisionedPhone[] {
  const changed = new Set(changes.filter((c) => c.kind !== 'removed' && c.path.startsWith('snom/')).map((c) => c.path.slice('snom/'.length)));
  if (changed.size === 0) return [];
  return phones.filter((p) => [settingsFile(p.mac), phoneListFile(p.phoneType, p.mac), typeListFile(p.phoneType), phonebookFile(p.site)].some((f) => changed.has(f)));
}
