// Module hooks (node:module register) that let a bench script import the e2e harness, which is
// TypeScript: test/**/*.ts is transpiled on load by the project's own TypeScript (types dropped,
// nothing checked: vitest and tsc check it), and imports of src/**/*.js are served from dist/,
// the build `npm run bench` makes first, so a bench runs the same code as the CLI.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const src = pathToFileURL(`${repo}src/`).href;
const dist = pathToFileURL(`${repo}dist/`).href;
const test = pathToFileURL(`${repo}test/`).href;

export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  if ((specifier.startsWith('.') || specifier.startsWith('/')) && parent.startsWith(test)) {
    const url = new URL(specifier, parent).href;
    if (url.startsWith(src) && url.endsWith('.js')) return { url: dist + url.slice(src.length), shortCircuit: true };
    if (url.endsWith('.js') && !existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(url.replace(/\.js$/, '.ts')))) {
      return { url: url.replace(/\.js$/, '.ts'), shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith(test) || !url.endsWith('.ts')) return next(url, context);
  const text = readFileSync(fileURLToPath(url), 'utf8');
  const out = ts.transpileModule(text, { fileName: fileURLToPath(url), compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
