import type { ErrorObject } from 'ajv';
import type { DocPath } from '../load/path.js';
import { pointerToPath } from '../load/path.js';
import { readSchemaText } from './schema-file.js';
import { closest } from './suggest.js';
import { schemaValidator } from './validator-module.js';

/** A schema problem in one document, before it is given a position. */
export interface SchemaProblem {
  path: DocPath;
  anchor: 'key' | 'value';
  message: string;
  hint?: string;
}

/** Validates one document (the root file or an included one) and explains each problem. */
export function validateDocument(data: unknown, sourceText: (path: DocPath) => string | undefined): SchemaProblem[] {
  const validate = schemaValidator();
  if (validate(data)) return [];
  return explainErrors(validate.errors ?? [], sourceText);
}

/** ajv's errors as problems a person can act on; shared by every schema callplan checks. */
export function explainErrors(errors: ErrorObject[], sourceText: (path: DocPath) => string | undefined): SchemaProblem[] {
  // `if` only says which `then` failed; errors carrying a propertyName repeat their propertyNames error.
  const kept = dropTypoRequired(collapseAnyOf(errors.filter((e) => e.keyword !== 'if' && e.propertyName === undefined)));
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const e of kept) {
    const problem = describe(e, sourceText);
    const key = `${problem.path.join('/')}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

/**
 * ajv reports every failed branch of an anyOf or oneOf (pushed just before the error itself), which
 * for "a number or a list of numbers" reads as two contradicting complaints. Keep one: the
 * "quote it" type error if YAML made a number of a string, else the errors inside the one branch
 * that got further (a list with a bad item), else the anyOf with its description.
 */
function collapseAnyOf(errors: ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  errors.forEach((e, i) => {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') return;
    const inside = (o: ErrorObject) => o.instancePath === e.instancePath || o.instancePath.startsWith(e.instancePath + '/');
    const branch: ErrorObject[] = [];
    for (let j = i - 1; j >= 0 && inside(errors[j]!); j--) branch.push(errors[j]!);
    const quoteIt = branch.find((b) => b.keyword === 'type' && (b.params as { type?: string }).type === 'string' && typeof b.data === 'number');
    const deeper = branch.filter((b) => b.instancePath !== e.instancePath);
    const keep = quoteIt ? [quoteIt] : deeper.length > 0 ? deeper : [e];
    for (const b of [...branch, e]) if (!keep.includes(b)) drop.add(b);
  });
  return errors.filter((e) => !drop.has(e));
}

/** `memebers:` makes `members` missing too; the did-you-mean on the typo (or the merge-key hint) says all of it. */
function dropTypoRequired(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => {
    if (e.keyword !== 'required') return true;
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    return !errors.some((o) => {
      if (o.keyword !== 'additionalProperties' || o.instancePath !== e.instancePath) return false;
      const extra = String((o.params as { additionalProperty: string }).additionalProperty);
      // A merge key (`<<: *base`) is meant to supply the missing keys; its own error explains.
      return extra === '<<' || closest(extra, [missing]) === missing;
    });
  });
}

function describe(e: ErrorObject, sourceText: (path: DocPath) => string | undefined): SchemaProblem {
  const path = pointerToPath(e.instancePath);
  const key = lastKey(path);
  const schema = (e.parentSchema ?? {}) as { description?: string; minimum?: number; maximum?: number; properties?: Record<string, { description?: string }> };
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const expected = String(params.type);
      if (isSecretSchema(schema)) {
        // Never echo it: whatever is here was meant to be secret.
        return {
          path,
          anchor: 'value',
          message: `${key} holds a value written inline; secrets must not be stored in the project`,
          hint: 'Put it in an environment variable and write "${env:NAME}", or in the secrets file as "${secret:NAME}". Then rotate it: it may already be in git history.',
        };
      }
      if (expected === 'string' && typeof e.data === 'number') {
        const raw = sourceText(path) ?? String(e.data);
        return {
          path,
          anchor: 'value',
          message: `${key} must be a string, but YAML reads ${raw} as a number (${e.data})`,
          hint: `Quote it: ${key}: "${raw}". Unquoted, YAML drops a leading + or 0 and rounds long numbers.`,
        };
      }
      return { path, anchor: 'value', message: `${key} must be ${article(expected)}, not ${describeValue(e.data)}`, hint: typeHint(expected, e.data, key, schema.description) };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      return {
        path,
        anchor: path.length > 0 ? 'key' : 'value',
        message: `${key === '(root)' ? 'the file' : key} is missing required key "${missing}"`,
        hint: schema.properties?.[missing]?.description ?? `Add ${missing}.`,
      };
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
      const guess = closest(extra, allowed);
      const hint =
        extra === '<<'
          ? 'YAML 1.2 has no merge keys: write the fields out, or move shared settings to defaults.'
          : guess
            ? `Did you mean "${guess}"?`
            : allowed.length > 0
              ? `Allowed keys here: ${allowed.join(', ')}.`
              : undefined;
      return { path: [...path, extra], anchor: 'key', message: `unknown key "${extra}"${key === '(root)' ? '' : ` in ${key}`}`, hint };
    }
    case 'propertyNames':
      return {
        path: [...path, String(params.propertyName)],
        anchor: 'key',
        message: `"${String(params.propertyName)}" is not a valid name in ${key}`,
        hint: 'Names use lower-case letters, digits, "-" and "_", start with a letter or digit, at most 40 characters.',
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      return {
        path,
        anchor: 'value',
        message: `${key} must be one of ${allowed.join(', ')}, not ${describeValue(e.data)}`,
        hint: guess ? `Did you mean "${guess}"?` : (schema.description ?? `Write one of: ${allowed.join(', ')}.`),
      };
    }
    case 'const':
      return { path, anchor: 'value', message: `${key} must be ${JSON.stringify(params.allowedValue)}, not ${describeValue(e.data)}`, hint: schema.description };
    case 'pattern':
      return { path, anchor: 'value', message: `${describeValue(e.data)} is not a valid ${key}`, hint: schema.description ?? `It must match ${String(params.pattern)}.` };
    case 'anyOf':
    case 'oneOf':
      return { path, anchor: 'value', message: `${describeValue(e.data)} is not a valid ${key}`, hint: yesNoHint(e.data) ?? schema.description ?? describeAnyOf(e) };
    case 'minItems':
      return { path, anchor: 'value', message: `${key} needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`, hint: schema.description };
    case 'maxItems':
      return { path, anchor: 'value', message: `${key} allows at most ${String(params.limit)} items`, hint: schema.description };
    case 'minProperties':
      return { path, anchor: 'value', message: `${key} needs at least ${String(params.limit)} entr${params.limit === 1 ? 'y' : 'ies'}`, hint: schema.description };
    case 'uniqueItems':
      return { path, anchor: 'value', message: `${key} lists the same item twice (items ${String(params.j)} and ${String(params.i)})`, hint: 'Remove the repeated item.' };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, anchor: 'value', message: `${key} ${String(e.message)}, got ${describeValue(e.data)}`, hint: schema.description ?? rangeHint(schema) };
    case 'minLength':
      return { path, anchor: 'value', message: `${key} is too short (at least ${String(params.limit)} characters)`, hint: schema.description };
    case 'maxLength':
      return { path, anchor: 'value', message: `${key} is too long (at most ${String(params.limit)} characters)`, hint: schema.description ?? 'Shorten it.' };
    default:
      return { path, anchor: 'value', message: `${key} ${String(e.message)}`, hint: schema.description ?? 'See `callplan schema` for what this key takes.' };
  }
}

const SECRET_DESCRIPTION = (JSON.parse(readSchemaText()) as { $defs: { secret: { description: string } } }).$defs.secret.description;

/** The schema of a secret field, recognised by its description (the standalone validator has its own copy of the schema object). */
function isSecretSchema(schema: { description?: string }): boolean {
  return schema.description === SECRET_DESCRIPTION;
}

/** YAML 1.2 reads yes/no/on/off as text, where YAML 1.1 (and many tools) read booleans. */
function yesNoHint(data: unknown): string | undefined {
  return typeof data === 'string' && /^(yes|no|on|off|y|n)$/i.test(data)
    ? `YAML 1.2 reads ${data} as text, not as a yes/no value: write true or false.`
    : undefined;
}

function typeHint(expected: string, data: unknown, key: string, description: string | undefined): string | undefined {
  if (expected === 'boolean') return yesNoHint(data) ?? description ?? 'Write true or false.';
  if (description) return description;
  if (expected === 'array') return `Write ${key} as a list: one item per line, each starting with "- ".`;
  if (expected === 'object') return `Write ${key} as a mapping of key: value lines, indented under it.`;
  if (expected === 'integer' || expected === 'number') return 'Write a plain number, without quotes or units.';
  return undefined;
}

function rangeHint(schema: { minimum?: number; maximum?: number }): string | undefined {
  const { minimum, maximum } = schema;
  if (minimum !== undefined && maximum !== undefined) return `Use a value from ${minimum} to ${maximum}.`;
  if (minimum !== undefined) return `Use ${minimum} or more.`;
  if (maximum !== undefined) return `Use at most ${maximum}.`;
  return undefined;
}

function describeAnyOf(e: ErrorObject): string | undefined {
  const branches = (e.schema as Array<{ description?: string }> | undefined) ?? [];
  const described = branches.map((b) => b.description).filter(Boolean);
  return described.length > 0 ? described.join(' Or: ') : undefined;
}

function lastKey(path: DocPath): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') {
      const rest = path.slice(i + 1);
      return rest.length > 0 ? `${seg}[${rest.join('][')}]` : seg;
    }
  }
  return '(root)';
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

function article(type: string): string {
  const name = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}
