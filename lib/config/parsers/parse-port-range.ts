import { parsePort } from './parse-port.js';
import { fail, ok, type ParseResult } from './parse-result.js';

const ACCEPTED = 'a range "8001-8010" or a list "8001,8002" (or an array of ports) of ports from 1 to 65535';

/** Parses `8001-8010`, `8001,8002` or an array of ports into the ordered list of ports to try. @internal */
export function parsePortRange(value: unknown): ParseResult<ReadonlyArray<number>> {
  if (typeof value === 'string') return parseRangeText(value);
  if (Array.isArray(value) && value.length > 0) return parseList(value);
  return fail(ACCEPTED);
}

function parseRangeText(text: string): ParseResult<ReadonlyArray<number>> {
  const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  if (range) {
    const from = parsePort(range[1]);
    const to = parsePort(range[2]);
    if (!from.ok || !to.ok || from.value > to.value) return fail(ACCEPTED);
    return ok(Array.from({ length: to.value - from.value + 1 }, (_, i) => from.value + i));
  }
  return parseList(text.split(',').map((part) => part.trim()));
}

function parseList(items: ReadonlyArray<unknown>): ParseResult<ReadonlyArray<number>> {
  const ports: number[] = [];
  for (const item of items) {
    const port = parsePort(item);
    if (!port.ok) return fail(ACCEPTED);
    ports.push(port.value);
  }
  return ports.length > 0 ? ok(ports) : fail(ACCEPTED);
}
