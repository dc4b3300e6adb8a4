/**
 * SNOM desk phones callplan provisions, with what each can hold. One table for both the
 * validation rules (unknown models, function-key limits) and the snom target (file names, key
 * layout). Counts are the phone's own programmable keys (all pages) without expansion modules.
 *
 * Sources (checked 2026): the capability table of Wazo's SNOM provisioning plugin
 * (wazo-platform/wazo-provd-plugins, plugins/wazo_snom/v10_1_…/plugin-info: `lines`,
 * `function_keys`) for 710, 715, 720, 760, D315, D345, D375, D385, D717, D735 and D785; its
 * firmware table (pkgs.db) names the D710 and D715 firmware "710/D710" and "715/D715", files
 * snom710-….bin and snom715-….bin. The D710 is the 710 under a new name, so it shares its counts.
 */
export interface SnomModel {
  model: string;
  family: 'D7xx' | 'D3xx' | '7xx';
  /**
   * What the phone calls itself: its DHCP vendor class and the stem of the files it requests
   * (`<phoneType>.htm`, `<phoneType>-<MAC>.htm`). The D710 and D715 ask as snom710 and snom715,
   * like the 710 and 715 they replaced, so a request alone cannot tell them apart.
   */
  phoneType: string;
  /** SIP identities the phone can register. */
  identities: number;
  functionKeys: number;
}

export const SNOM_MODELS: readonly SnomModel[] = [
  { model: 'D710', family: 'D7xx', phoneType: 'snom710', identities: 4, functionKeys: 5 },
  { model: 'D715', family: 'D7xx', phoneType: 'snom715', identities: 4, functionKeys: 5 },
  { model: 'D717', family: 'D7xx', phoneType: 'snomD717', identities: 6, functionKeys: 3 },
  { model: 'D735', family: 'D7xx', phoneType: 'snomD735', identities: 12, functionKeys: 32 },
  { model: 'D785', family: 'D7xx', phoneType: 'snomD785', identities: 12, functionKeys: 24 },
  { model: 'D315', family: 'D3xx', phoneType: 'snomD315', identities: 4, functionKeys: 5 },
  { model: 'D345', family: 'D3xx', phoneType: 'snomD345', identities: 12, functionKeys: 48 },
  { model: 'D375', family: 'D3xx', phoneType: 'snomD375', identities: 12, functionKeys: 12 },
  { model: 'D385', family: 'D3xx', phoneType: 'snomD385', identities: 12, functionKeys: 48 },
  { model: '710', family: '7xx', phoneType: 'snom710', identities: 4, functionKeys: 5 },
  { model: '715', family: '7xx', phoneType: 'snom715', identities: 4, functionKeys: 5 },
  { model: '720', family: '7xx', phoneType: 'snom720', identities: 12, functionKeys: 18 },
  { model: '760', family: '7xx', phoneType: 'snom760', identities: 12, functionKeys: 16 },
];

export function findSnomModel(name: string): SnomModel | undefined {
  const wanted = name.toUpperCase().replace(/^SNOM\s*/, '');
  return SNOM_MODELS.find((m) => m.model === wanted);
}

/** The table entry of a normalized model name (validation has refused every other). */
export function snomModel(name: string): SnomModel {
  const found = findSnomModel(name);
  if (!found) throw new Error(`snom: unknown model "${name}" (validation should have refused it)`);
  return found;
}
