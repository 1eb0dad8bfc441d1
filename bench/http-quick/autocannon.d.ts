// The slice of autocannon's API the quick check uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    requests?: Array<{ setupRequest?: (request: { path: string }) => { path: string } }>;
  }
  interface Result { requests: { average: number; total: number } }
  export default function autocannon(options: Options): Promise<Result>;
}
