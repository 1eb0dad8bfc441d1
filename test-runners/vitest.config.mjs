import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Vitest with `describe`/`it` as globals, so the same file runs unchanged under every runner.
// Its cache goes to the temporary directory, never into the (shared) node_modules.
export default defineConfig({
  cacheDir: join(tmpdir(), 'nest-prometheus-vitest'),
  test: {
    root: import.meta.dirname,
    include: ['*.test.mjs'],
    globals: true,
    environment: 'node',
    // Tests start real Nest apps; on a shared, loaded CI machine that can take far more than
    // Vitest's 5 s default. A budget, not a timing assertion.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
