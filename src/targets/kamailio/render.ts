import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/**
 * Templates format, code computes: every value kamailio.cfg places is computed (and quoted where
 * it sits in a string) in TypeScript; the template compiles without HTML escaping.
 */
const TEMPLATE_DIR = fileURLToPath(new URL('../../../templates/kamailio/', import.meta.url));

const hb = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

export type TemplateName = 'kamailio.cfg' | 'tls.cfg';

export function render(name: TemplateName, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    template = hb.compile(readFileSync(`${TEMPLATE_DIR}${name}.hbs`, 'utf8'), { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(view);
}

/**
 * A value placed inside a double-quoted string of kamailio.cfg. Values come from the model (trunk
 * names and user names the schema limits), so anything that would need escaping is refused rather
 * than escaped: the generated script never depends on the config parser's escape rules.
 */
export function cfgString(value: string): string {
  if (!/^[A-Za-z0-9_.+@:-]*$/.test(value)) throw new Error(`value not allowed in kamailio.cfg: ${JSON.stringify(value)}`);
  return value;
}
