/**
 * Where one setting may come from, and the collector of problems found while reading it.
 * @internal
 */
export interface Setting {
  /** Option path as a user writes it, e.g. `export.port`. */
  readonly option: string;
  /** Environment variables that may hold it, in order of precedence. */
  readonly env: ReadonlyArray<string>;
}

/** One value read for a setting, and a description of where it came from. @internal */
export type SettingValue =
  | { readonly from: 'option'; readonly name: string; readonly value: unknown }
  | { readonly from: 'env'; readonly name: string; readonly value: string }
  | { readonly from: 'default' };

/** Picks the explicit option, else the first set environment variable, else the default. @internal */
export function readSetting(setting: Setting, optionValue: unknown, env: NodeJS.ProcessEnv): SettingValue {
  if (optionValue !== undefined) {
    return { from: 'option', name: `option \`${setting.option}\``, value: optionValue };
  }
  for (const variable of setting.env) {
    const raw = env[variable];
    if (raw !== undefined && raw.trim() !== '') {
      return { from: 'env', name: `environment variable ${variable}`, value: raw.trim() };
    }
  }
  return { from: 'default' };
}

/** Formats one problem: where the value came from, what it was, and what is accepted. @internal */
export function describeProblem(source: { readonly name: string; readonly value: unknown }, accepted: string): string {
  return `${source.name} is ${formatValue(source.value)}; expected ${accepted}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value instanceof RegExp) return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
