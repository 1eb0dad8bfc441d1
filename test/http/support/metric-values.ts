import type { Registry } from 'prom-client';

type Labels = Readonly<Record<string, string | number>>;

/** The value of one sample (`name` is the sample name, e.g. `…_bucket`), or 0 when absent. */
export async function sample(registry: Registry, name: string, labels: Labels = {}): Promise<number> {
  for (const family of await registry.getMetricsAsJSON()) {
    for (const value of family.values as Array<{ metricName?: string; labels: Labels; value: number }>) {
      if ((value.metricName ?? family.name) !== name) continue;
      const keys = Object.keys(value.labels);
      if (keys.length === Object.keys(labels).length && keys.every((k) => String(value.labels[k]) === String(labels[k]))) return value.value;
    }
  }
  return 0;
}

/** Every sample of the registry as `name{labels}` → value, to diff two moments. */
export async function snapshot(registry: Registry): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const family of await registry.getMetricsAsJSON()) {
    for (const value of family.values as Array<{ metricName?: string; labels: Labels; value: number }>) {
      const labels = Object.keys(value.labels).sort().map((k) => `${k}="${value.labels[k]}"`).join(',');
      out.set(`${value.metricName ?? family.name}{${labels}}`, value.value);
    }
  }
  return out;
}

/** Number of HTTP series (samples whose name starts with `nestjs_http_`, or `<ns>_nestjs_http_`). */
export async function httpSeriesCount(registry: Registry): Promise<number> {
  return [...(await snapshot(registry)).keys()].filter((k) => k.includes('nestjs_http_')).length;
}

/** Resolves once `condition` holds, checking on every turn of the event loop; fails after `ms`. */
export async function waitFor(condition: () => Promise<boolean> | boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
