/**
 * SNOM desk phones callplan provisions, with what each can hold. One table for both the
 * validation rule (unknown models) and the snom target (function-key limits). Counts are the
 * phone's own programmable keys without expansion modules.
 */
export interface SnomModel {
  model: string;
  family: 'D7xx' | 'D3xx' | '7xx';
  /** SIP identities the phone can register. */
  identities: number;
  functionKeys: number;
}

export const SNOM_MODELS: readonly SnomModel[] = [
  { model: 'D710', family: 'D7xx', identities: 4, functionKeys: 5 },
  { model: 'D715', family: 'D7xx', identities: 4, functionKeys: 5 },
  { model: 'D717', family: 'D7xx', identities: 6, functionKeys: 3 },
  { model: 'D735', family: 'D7xx', identities: 12, functionKeys: 32 },
  { model: 'D785', family: 'D7xx', identities: 12, functionKeys: 24 },
  { model: 'D315', family: 'D3xx', identities: 4, functionKeys: 5 },
  { model: 'D345', family: 'D3xx', identities: 12, functionKeys: 12 },
  { model: 'D375', family: 'D3xx', identities: 12, functionKeys: 12 },
  { model: 'D385', family: 'D3xx', identities: 12, functionKeys: 12 },
  { model: '710', family: '7xx', identities: 4, functionKeys: 5 },
  { model: '715', family: '7xx', identities: 4, functionKeys: 5 },
  { model: '720', family: '7xx', identities: 12, functionKeys: 18 },
  { model: '760', family: '7xx', identities: 12, functionKeys: 16 },
];

export function findSnomModel(name: string): SnomModel | undefined {
  const wanted = name.toUpperCase().replace(/^SNOM\s*/, '');
  return SNOM_MODELS.find((m) => m.model === wanted);
}
