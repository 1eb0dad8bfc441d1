import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './deploy-files.js';

/** One JSON value to check against a type exported by an installed package. */
export interface TypedValue {
  readonly module: string;
  readonly typeName: string;
  readonly value: unknown;
}

/**
 * Type-checks JSON values against the TypeScript types a package publishes for them (Kubernetes
 * models, Grafana's dashboard schema): each value is written as an object literal annotated with its
 * type, so the compiler reports wrong types and, through its excess-property check, unknown fields.
 * Runs the project's own `tsc` in a scratch folder under build/ (so the packages resolve).
 */
export function typecheckJson(values: ReadonlyArray<TypedValue>): { code: number | null; output: string } {
  const dir = mkdtempSync(join(ROOT, 'build', '.typecheck-'));
  try {
    const lines = values.map(({ module, typeName, value }, i) => `import type { ${typeName} as T${i} } from '${module}';\nexport const value${i}: T${i} = ${JSON.stringify(value, null, 2)};`);
    writeFileSync(join(dir, 'values.ts'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true, types: [] },
        files: ['values.ts'],
      }),
    );
    const res = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    return { code: res.status, output: `${res.stdout}${res.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
