import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  license: string;
  main: string;
  types: string;
  exports: Record<string, Record<string, { types: string; default: string }> | string>;
  typesVersions: Record<string, Record<string, string[]>>;
  scripts: Record<string, string>;
};

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, suffix) : name.endsWith(suffix) ? [path] : [];
  });
}

/** What `npm pack` would publish (without running prepack: dist/ is already built). */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
}

describe('published files', () => {
  it('ship a MIT LICENSE matching package.json, and prepack builds', () => {
    assert.equal(manifest.license, 'MIT');
    assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License\n/);
    assert.match(manifest.scripts.prepack ?? '', /npm run build/);
    const packed = packedFiles();
    assert.ok(packed.includes('LICENSE'));
    assert.ok(packed.includes('dist/cjs/package.json'), 'the CommonJS tree is marked as such');
    assert.deepEqual(packed.filter((path) => !/^(dist\/|LICENSE$|README\.md$|package\.json$)/.test(path)), []);
  });

  it('every exported path exists, with import, require and types conditions for both entry points', () => {
    for (const entry of ['.', './testing']) {
      const conditions = manifest.exports[entry] as Record<string, { types: string; default: string }>;
      assert.deepEqual(Object.keys(conditions), ['import', 'require']);
      for (const target of Object.values(conditions)) {
        assert.ok(statSync(join(ROOT, target.types)).isFile(), target.types);
        assert.ok(statSync(join(ROOT, target.default)).isFile(), target.default);
      }
    }
    assert.ok(statSync(join(ROOT, manifest.main)).isFile());
    assert.ok(statSync(join(ROOT, manifest.types)).isFile());
    assert.ok(statSync(join(ROOT, manifest.typesVersions['*']!['testing']![0]!)).isFile());
    assert.deepEqual(JSON.parse(readFileSync(join(ROOT, 'dist/cjs/package.json'), 'utf8')), { type: 'commonjs' });
  });

  it('the CommonJS build is CommonJS and keeps dynamic import() real (ESM-only peers load from it)', () => {
    const cjsFiles = files(join(ROOT, 'dist/cjs'), '.js');
    assert.ok(cjsFiles.length > 50);
    for (const file of cjsFiles) {
      const source = readFileSync(file, 'utf8');
      assert.doesNotMatch(source, /^\s*(import|export)\s[^(]/m, `${file} has ESM syntax`);
      assert.doesNotMatch(source, /Promise\.resolve\(\)\.then\(\(\) => __importStar\(require\(/, `${file} turned import() into require()`);
      assert.doesNotMatch(source, /import\.meta/, file);
    }
    const required = createRequire(import.meta.url)('nest-prometheus') as Record<string, unknown>;
    assert.equal(typeof required.PrometheusModule, 'function');
  });

  it('source maps carry their sources (the .ts files are not published)', () => {
    const maps = files(join(ROOT, 'dist'), '.js.map');
    assert.ok(maps.length > 100);
    for (const map of maps) {
      const parsed = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourcesContent?: string[] };
      assert.equal(parsed.sourcesContent?.length, parsed.sources.length, map);
      assert.ok(parsed.sources.every((source) => source.includes('lib/')), `${map}: ${parsed.sources.join(', ')}`);
    }
  });

  it('@internal declarations are stripped, and what remains type-checks on its own (no skipLibCheck)', () => {
    const declarations = files(join(ROOT, 'dist'), '.d.ts');
    // A declaration directly under an @internal comment would have been stripped.
    const kept = declarations.filter((file) => /@internal[^/]*\*\/\s*(export\s+)?(declare|function|class|const|interface|type)\b/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(kept, [], 'an @internal declaration survived');
    assert.doesNotMatch(readFileSync(join(ROOT, 'dist/http/install-handler-hooks.d.ts'), 'utf8'), /installHandlerHooks/);
    const dir = mkdtempSync(join(tmpdir(), 'nest-prometheus-dts-'));
    try {
      const config = join(dir, 'tsconfig.json');
      writeFileSync(
        config,
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false,
            types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')],
          },
          files: ['dist/index.d.ts', 'dist/testing/index.d.ts', 'dist/cjs/index.d.ts', 'dist/cjs/testing/index.d.ts'].map((f) => join(ROOT, f)),
        }),
      );
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      let output = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', config], { cwd: ROOT, encoding: 'utf8' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout);
      }
      // Errors inside third-party declarations are theirs; ours must have none.
      const ours = output.split('\n').filter((line) => line.startsWith('dist/') || line.includes(`${ROOT}/dist/`));
      assert.deepEqual(ours, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
