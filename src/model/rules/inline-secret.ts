import { secretFields } from '../secret-fields.js';
import { parseSecretRef } from '../../secrets/refs.js';
import type { Rule } from './rule.js';

/** Secrets in YAML end up in git. Never echo the value: the message names the field only. */
export const inlineSecret: Rule = {
  id: 'inline-secret',
  description: 'Secret fields hold ${env:NAME} or ${secret:NAME}, never the secret itself.',
  severity: 'error',
  check(ctx) {
    const hasSecretsFile = ctx.raw.secrets?.file !== undefined;
    for (const field of secretFields(ctx.raw)) {
      if (typeof field.value !== 'string') continue; // the schema reports it
      const ref = parseSecretRef(field.value);
      const envName = field.label.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
      if (!ref) {
        ctx.report(field, `${field.label} is written inline; secrets must not be stored in the project`, `Put it in an environment variable and write "\${env:${envName}}", or in the secrets file as "\${secret:${envName.toLowerCase()}}". Then rotate it: it may already be in git history.`);
      } else if (ref.source === 'secret' && !hasSecretsFile) {
        ctx.report(field, `${field.label} uses \${secret:${ref.name}} but the project names no secrets file`, 'Add secrets: { file: secrets.yaml } to callplan.yaml (and secrets.yaml to .gitignore), or use ${env:NAME}.');
      }
    }
  },
};
