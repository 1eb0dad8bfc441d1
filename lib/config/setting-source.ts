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
  | { readonly from: 'empty-env'; readonly name: string; readonly value: string }
  | { readonly from: 'default' };

/**
 * Picks the explicit option, else the first environment variable that is set, else the default.
 *
 * The one rule for empty values: a variable that is set to an empty or whitespace-only value is
 * **not** treated as unset. It is returned as `empty-env`, which the resolver reports as an error
 * naming the variable: `PROMETHEUS_METRICS_EXPORT_TOKEN=` must never mean "no token", nor
 * `PROMETHEUS_METRICS_EXPORT_ADDRESS=` "all interfaces". To use a default, unset the variable.
 * Leading and trailing whitespace of a non-empty value is dropped.
 * @internal
 */
export function readSetting(setting: Setting, optionValue: unknown, env: NodeJS.ProcessEnv): SettingValue {
  if (optionValue !== undefined) {
    return { from: 'option', name: `option \`${setting.option}\``, value: optionValue };
  }
  for (const variable of setting.env) {
    const raw = env[variable];
    if (raw === undefined) continue;
    const name = `environment variable ${variable}`;
    if (raw.trim() === '') return { from: 'empty-env', name, value: raw };
    return { from: 'env', name, value: raw.trim() };
  }
  return { from: 'default' };
}

/** The problem reported for a variable set to an empty or whitespace-only value. @internal */
export function describeEmptyVariable(source: { readonly name: string; readonly value: string }, accepted: string): string {
  return (
    `${source.name} is set but ${source.value === '' ? 'empty' : `blank (${JSON.stringify(source.value)})`}; ` +
    `an empty variable is an error, not "unset": unset it to use the default, or set it to ${accepted}`
  );
}

/** Formats one problem: where the value came from, what it was, and what is accepted. @internal */
export function describeProblem(source: { readonly name: string; readonly value: unknown }, accepted: string): string {
  return `${source.name} is ${formatValue(source.value)}; expected ${accepted}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value instanceof RegExp) return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
