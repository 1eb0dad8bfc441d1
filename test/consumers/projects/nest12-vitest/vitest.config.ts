import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Vitest transforms TypeScript with esbuild, which emits no decorator metadata (Nest's constructor
// injection needs it); unplugin-swc compiles the sources with SWC instead.
export default defineConfig({
  test: { globals: true, include: ['test/**/*.e2e-spec.ts'], environment: 'node' },
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
