// The part of autocannon's programmatic API the harness uses (autocannon ships no types).
declare module 'autocannon' {
  interface Percentiles {
    readonly average: number;
    readonly mean: number;
    readonly max: number;
    readonly min: number;
    readonly total: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
  }
  export interface AutocannonResult {
    readonly duration: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly '2xx': number;
    readonly '4xx': number;
    readonly latency: Percentiles;
    readonly requests: Percentiles & { readonly sent: number };
  }
  export interface AutocannonOptions {
    readonly url: string;
    readonly connections?: number;
    readonly pipelining?: number;
    readonly duration?: number;
    readonly amount?: number;
    readonly method?: string;
    readonly idReplacement?: boolean;
    readonly timeout?: number;
    /** How often (ms) autocannon samples and checks whether to stop; default 1000, so durations round up to whole seconds. */
    readonly sampleInt?: number;
    /** Per-request setup, e.g. a distinct path for every request. */
    readonly requests?: ReadonlyArray<{ readonly setupRequest?: (request: { path: string }) => { path: string } }>;
  }
  export default function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
}
