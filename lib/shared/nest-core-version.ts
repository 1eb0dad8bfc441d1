import { createRequire } from 'node:module';
import { join } from 'node:path';
import { thisDirectory } from './this-directory.js';

/** The version of the `@nestjs/core` this package resolves (the app's), or `unknown`. @internal */
export function nestCoreVersion(): string {
  try {
    const require = createRequire(join(thisDirectory(), 'nest-core-version.js'));
    const version = (require('@nestjs/core/package.json') as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
