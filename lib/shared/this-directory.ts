import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of this compiled file (`dist/shared`), in the ESM build (`dist/…`) and in the CommonJS build
 * (`dist/cjs/…`) alike. One source serves both formats, so neither the module's own URL (ESM-only
 * syntax, an error in CommonJS) nor `__dirname` (undefined in ESM) can be used; V8's structured call sites give the
 * file of the running function in both (a `file:` URL for ESM, a path for CommonJS).
 * @internal
 */
export function thisDirectory(): string {
  const saved = Error.prepareStackTrace;
  let file: string | undefined;
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    const sites = new Error().stack as unknown as NodeJS.CallSite[] | string | undefined;
    if (Array.isArray(sites)) file = sites[0]?.getFileName() ?? undefined;
  } finally {
    Error.prepareStackTrace = saved;
  }
  if (file === undefined) throw new Error('nest-prometheus: cannot locate its own files (the stack trace has no file names)');
  return dirname(file.startsWith('file:') ? fileURLToPath(file) : file);
}
