import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dashboard } from './deploy-files.js';
import type { PromSeries } from './prometheus-server.js';

/** One panel's data as Prometheus returned it for the substituted queries. */
export interface PanelData {
  readonly title: string;
  readonly type: string;
  readonly unit: string;
  readonly gridPos: { x: number; y: number; w: number; h: number };
  readonly series: ReadonlyArray<{ legend: string; values: ReadonlyArray<[number, number]> }>;
}

const COLORS = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#f2495c', '#b877d9', '#8ab8ff', '#fade2a', '#c4162a', '#96d98d', '#ffb357', '#ca95e5'];
const COLUMN = 66;
const ROW = 30;

/** `{{label}}` legends as Grafana writes them. */
export function legendOf(format: string | undefined, metric: Record<string, string>): string {
  if (!format || format === '__auto') return Object.entries(metric).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${v}"`).join(', ') || 'value';
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, label: string) => metric[label] ?? '');
}

export function toPanelSeries(result: ReadonlyArray<PromSeries>, legendFormat: string | undefined): PanelData['series'] {
  return result.map((s) => ({
    legend: legendOf(legendFormat, s.metric),
    values: (s.values ?? (s.value ? [s.value] : [])).map(([t, v]) => [t, Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v)),
  }));
}

function format(value: number, unit: string): string {
  const fixed = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  switch (unit) {
    case 'percentunit':
      return `${fixed(value * 100)}%`;
    case 's':
      return value < 1 ? `${fixed(value * 1000)} ms` : `${fixed(value)} s`;
    case 'bytes':
      return value >= 1 << 20 ? `${fixed(value / (1 << 20))} MiB` : value >= 1024 ? `${fixed(value / 1024)} KiB` : `${fixed(value)} B`;
    case 'reqps':
      return `${fixed(value)} req/s`;
    case 'ops':
      return `${fixed(value)} ops/s`;
    default:
      return fixed(value);
  }
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function timeseries(panel: PanelData, width: number, height: number): string {
  const plotTop = 28;
  const legendRows = Math.min(panel.series.length, 4);
  const plotHeight = height - plotTop - 16 - legendRows * 14;
  const plotLeft = 62;
  const plotWidth = width - plotLeft - 10;
  const points = panel.series.flatMap((s) => s.values);
  if (points.length === 0) return `<text x="${width / 2}" y="${height / 2}" class="nodata">No data</text>`;
  const t0 = Math.min(...points.map(([t]) => t));
  const t1 = Math.max(...points.map(([t]) => t));
  const vMax = Math.max(...points.map(([, v]) => v), 0) || 1;
  const x = (t: number) => plotLeft + ((t - t0) / Math.max(t1 - t0, 1)) * plotWidth;
  const y = (v: number) => plotTop + plotHeight - (v / vMax) * plotHeight;
  const grid = [0, 0.5, 1]
    .map((f) => `<line x1="${plotLeft}" x2="${plotLeft + plotWidth}" y1="${y(vMax * f)}" y2="${y(vMax * f)}" class="grid"/><text x="${plotLeft - 4}" y="${y(vMax * f) + 4}" class="axis">${escape(format(vMax * f, panel.unit))}</text>`)
    .join('');
  const lines = panel.series
    .map((s, i) => `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5" points="${s.values.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`)
    .join('');
  const legend = panel.series
    .slice(0, legendRows)
    .map((s, i) => {
      const last = s.values.at(-1)?.[1];
      return `<rect x="${plotLeft}" y="${plotTop + plotHeight + 10 + i * 14}" width="10" height="3" fill="${COLORS[i % COLORS.length]}"/><text x="${plotLeft + 14}" y="${plotTop + plotHeight + 14 + i * 14}" class="legend">${escape(s.legend.slice(0, 60))}${last === undefined ? '' : ` · ${escape(format(last, panel.unit))}`}</text>`;
    })
    .join('');
  const more = panel.series.length > legendRows ? `<text x="${plotLeft + plotWidth}" y="${height - 4}" class="axis">+${panel.series.length - legendRows} more</text>` : '';
  return grid + lines + legend + more;
}

function stat(panel: PanelData, width: number, height: number): string {
  const last = panel.series.map((s) => s.values.at(-1)?.[1]).find((v) => v !== undefined);
  const text = last === undefined ? 'No data' : format(last, panel.unit);
  return `<text x="${width / 2}" y="${height / 2 + 18}" class="stat">${escape(text)}</text>`;
}

/** An SVG page laid out on the dashboard's grid. */
export function dashboardSvg(dashboard: Dashboard, panels: ReadonlyArray<PanelData>, subtitle: string): string {
  const rows = dashboard.panels.filter((p) => p.type === 'row') as unknown as Array<{ title: string; gridPos: { y: number } }>;
  const bottom = Math.max(...panels.map((p) => p.gridPos.y + p.gridPos.h));
  const width = 24 * COLUMN + 8;
  const height = bottom * ROW + 60;
  const body = [
    `<text x="8" y="24" class="title">${escape(dashboard.title)}</text><text x="8" y="44" class="sub">${escape(subtitle)}</text>`,
    ...rows.map((r) => `<text x="8" y="${60 + r.gridPos.y * ROW + 20}" class="row">${escape(r.title)}</text>`),
    ...panels.map((p) => {
      const w = p.gridPos.w * COLUMN - 6;
      const h = p.gridPos.h * ROW - 6;
      const inner = p.type === 'stat' ? stat(p, w, h) : timeseries(p, w, h);
      return `<g transform="translate(${8 + p.gridPos.x * COLUMN},${60 + p.gridPos.y * ROW})"><rect width="${w}" height="${h}" rx="3" class="panel"/><text x="8" y="18" class="ptitle">${escape(p.title)}</text>${inner}</g>`;
    }),
  ].join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<style>
  text { font-family: 'DejaVu Sans', sans-serif; fill: #ccccdc; }
  .title { font-size: 18px; font-weight: bold; } .row { font-size: 14px; font-weight: bold; }
  .ptitle { font-size: 12px; font-weight: bold; } .axis { font-size: 10px; text-anchor: end; fill: #8e8e9e; }
  .legend { font-size: 10px; } .sub { font-size: 11px; fill: #8e8e9e; } .stat { font-size: 30px; text-anchor: middle; fill: #73bf69; }
  .nodata { font-size: 12px; text-anchor: middle; fill: #8e8e9e; }
  .panel { fill: #181b1f; stroke: #2c3235; } .grid { stroke: #2c3235; }
</style>
<rect width="100%" height="100%" fill="#111217"/>
${body}
</svg>
`;
}

/** Renders an SVG to a PNG with headless Chromium (Debian's `chromium`). */
export function renderPng(svg: string, width: number, height: number, out: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prometheus-render-'));
  try {
    const page = join(dir, 'overview.html');
    writeFileSync(page, `<!doctype html><html><body style="margin:0;background:#111217">${svg}</body></html>`);
    const res = spawnSync(
      process.env.CHROMIUM ?? 'chromium',
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${join(dir, 'profile')}`,
        `--window-size=${width},${height}`, `--screenshot=${out}`, `file://${page}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (res.status !== 0) throw new Error(`chromium failed (${res.status}): ${res.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
