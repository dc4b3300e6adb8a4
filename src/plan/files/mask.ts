/**
 * Secret values in generated files, replaced line by line before any diff is shown: SIP and AMI
 * passwords, PINs (voicemail and conference), the phones' HA1s, provisioning credentials in URLs
 * and SNOM settings, htpasswd hashes, tokens in JSON. What the line is stays readable
 * (`password = ********`), so a reader sees that a secret changed, never what it is.
 */
export const MASK = '********';

/** Setting names that hold a secret in any syntax: password, passwd, secret, pin, token, HA1, credentials. */
const SECRET_NAME = /^(?:[a-z_]*_)?(password|passwd|pass|secret|pin|admin_pin|token|api_key|apikey|ha1|md5_cred|credentials?)$/i;

export function maskLine(path: string, line: string): string {
  let out = maskUrls(line);
  const file = path.slice(path.lastIndexOf('/') + 1);
  if (file === 'subscriber' && /\/db\/subscriber$|^db\/subscriber$/.test(path)) out = out.replace(/^([^:\s()]+):(.+)$/, `$1:${MASK}`);
  else if (file.endsWith('.htpasswd')) out = out.replace(/^([^:#\s]+):(.+)$/, `$1:${MASK}`);
  else if (file === 'voicemail.conf') out = maskConf(out).replace(/^(\s*[0-9*#]+\s*=>?\s*)[^,]*/, `$1${MASK}`);
  else if (file.endsWith('.conf') || file.endsWith('.cfg') || file.endsWith('.list')) out = maskConf(out);
  else if (file.endsWith('.xml') || file.endsWith('.htm')) out = maskXml(out);
  else if (file.endsWith('.json')) out = maskJson(out);
  else out = maskConf(out);
  return out;
}

/** `scheme://user:password@host` → `scheme://user:********@host`. */
export function maskUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@"'<>]+):[^@\s/"'<>]+@/gi, `$1:${MASK}@`);
}

/** `key = value`, `key => value`, `key: value`, `Key=value` (systemd, env files). */
function maskConf(line: string): string {
  return line.replace(/\b([A-Za-z_]*(?:PASSWORD|PASSWD|SECRET|TOKEN)[A-Za-z_]*)=(?!\s)[^\s"']+/g, `$1=${MASK}`).replace(/^(\s*)([A-Za-z_][A-Za-z0-9_.-]*)(\s*(?:=>?|:)\s*)(\S.*)$/, (all, indent: string, key: string, sep: string) =>
    SECRET_NAME.test(key) ? `${indent}${key}${sep}${MASK}` : all,
  );
}

/** `<user_pass idx="1" perm="R">value</user_pass>` and any element named like a secret. */
function maskXml(line: string): string {
  return line.replace(/<([A-Za-z_][\w-]*)([^>]*)>([^<]*)<\/\1>/g, (all, tag: string, attrs: string, value: string) =>
    value !== '' && (SECRET_NAME.test(tag) || /pass|secret|pin$/i.test(tag)) ? `<${tag}${attrs}>${MASK}</${tag}>` : all,
  );
}

/** `"password": "value"`: a JSON string under a secret's name. */
function maskJson(line: string): string {
  return line.replace(/"([A-Za-z_][\w-]*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g, (all, key: string, sep: string) => (SECRET_NAME.test(key.replace(/-/g, '_')) ? `"${key}"${sep}"${MASK}"` : all));
}
