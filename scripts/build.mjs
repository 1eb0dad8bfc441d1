// Builds lib/ twice with plain tsc: ESM to dist/ (tsconfig.build.json) and CommonJS to dist/cjs/
// (build-config/cjs/tsconfig.json, which sees lib/ through a symlink inside a "type": "commonjs"
// scope). dist/cjs/package.json marks that tree as CommonJS for Node and for TypeScript.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const link = join(root, 'build-config/cjs/lib');
if (!existsSync(link) && !isLink(link)) symlinkSync(join('..', '..', 'lib'), link, 'junction');

rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'build-config/cjs/tsconfig.json']) {
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
mkdirSync(join(root, 'dist/cjs'), { recursive: true });
writeFileSync(join(root, 'dist/cjs/package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
// The CommonJS source maps name lib/ as seen through the symlink; point them at lib/ itself (the
// sources are inlined either way).
for (const map of files(join(root, 'dist/cjs'), '.js.map')) {
  const text = readFileSync(map, 'utf8');
  writeFileSync(map, text.replaceAll('build-config/cjs/lib/', 'lib/'));
}

function files(dir, suffix) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name), suffix) : entry.name.endsWith(suffix) ? [join(dir, entry.name)] : [],
  );
}

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
