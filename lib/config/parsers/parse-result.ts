/** Outcome of parsing one setting: its value, or what would have been accepted. @internal */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly accepted: string };

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = <T>(accepted: string): ParseResult<T> => ({ ok: false, accepted });
