// The e2e harness (test/e2e/harness/*.ts: the real sshd, Asterisk in the chroot, SIPp, the port
// locks) for bench scripts, so a bench starts its servers exactly as the end-to-end tests do.
//
//   const { startDeployNode } = await harness('deploy-node');
//
// Needs `npm run build` first (the harness's imports of src/ are served from dist/).

import { register } from 'node:module';

let registered = false;

/** Imports test/e2e/harness/<name>.ts. */
export async function harness(name) {
  if (!registered) {
    register(new URL('./ts-hooks.js', import.meta.url));
    registered = true;
  }
  return import(new URL(`../../test/e2e/harness/${name}.ts`, import.meta.url).href);
}
