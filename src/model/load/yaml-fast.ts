import jsyaml from 'js-yaml';

/**
 * js-yaml reads a 10,000-user project about ten times faster than `yaml`'s document API
 * (DESIGN.md, performance facts), so it is the bulk reader. To read exactly what YAML 1.2's
 * core schema (and so the `yaml` library, which gives our error positions) reads, its int type
 * is replaced: js-yaml also takes 0b101 as binary, which YAML 1.2 core reads as a string.
 * test/unit/load/yaml-equivalence.test.ts proves both read every fixture and example alike.
 */
const INT_12 = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;

const coreInt = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && INT_12.test(data),
  construct: (data: string) => {
    if (data.startsWith('0o')) return parseInt(data.slice(2), 8);
    if (data.startsWith('0x')) return parseInt(data.slice(2), 16);
    return Number(data);
  },
  predicate: (o: unknown) => typeof o === 'number' && Number.isInteger(o),
  represent: (o: object) => String(o),
});

// js-yaml exports its built-in types at run time; @types/js-yaml does not declare them.
const builtin = (jsyaml as unknown as { types: Record<'null' | 'bool' | 'float', jsyaml.Type> }).types;

export const YAML_12_CORE = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [builtin.null, builtin.bool, coreInt, builtin.float] });

export function loadFast(text: string, filename: string): unknown {
  return jsyaml.load(text, { schema: YAML_12_CORE, filename, json: false });
}

export const YamlFastError = jsyaml.YAMLException;
