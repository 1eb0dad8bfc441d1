import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { HEAP_REQUEST, MINOR_GC_REQUEST } from '../server/variants.js';

/** What the server script prints once it listens: `LISTENING <port>`. */
export const LISTENING_LINE = /^LISTENING (\d+)$/;

const SERVER_SCRIPT = fileURLToPath(new URL('../server/main.js', import.meta.url));
const running = new Set<ChildProcess>();

/** A server variant running in its own process. */
export interface ServerProcess {
  readonly label: string;
  readonly pid: number;
  readonly url: string;
  /** The server's live heap after a full garbage collection, MiB. */
  heapAfterGcMiB(): Promise<number>;
  /** Asks the server for a scavenge and waits for it. */
  minorGc(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerSpec {
  /** Passed to the server script as `--variant`. */
  readonly variant: string;
  /** Passed as `--adapter` (ignored by variants without an adapter). */
  readonly adapter: string;
  readonly label: string;
  /** Extra environment for the child (e.g. how many series to pre-create). */
  readonly env?: Readonly<Record<string, string>>;
  /** Pin the server (all its threads) to this CPU with `taskset` (Linux). */
  readonly cpu?: number;
  /** A command that runs node (e.g. `valgrind --tool=callgrind …`); node's path and arguments follow it. */
  readonly wrapper?: readonly string[];
  /** Extra node options, before the script (e.g. `--single-threaded`). */
  readonly nodeOptions?: readonly string[];
  /** How long to wait for the port, ms (default 30 s; a server under valgrind starts far slower). */
  readonly startTimeoutMs?: number;
}

/**
 * Starts `bench/server/main.js` for one variant and resolves once it printed its port. The child
 * gets an IPC channel and exits when the driver goes away, so no server outlives a run.
 */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const args = ['--expose-gc', ...(spec.nodeOptions ?? []), SERVER_SCRIPT, `--variant=${spec.variant}`, `--adapter=${spec.adapter}`];
  // taskset and valgrind exec node in place: the child's pid is the server's.
  const node = [...(spec.wrapper ?? []), process.execPath, ...args];
  const pinned = spec.cpu === undefined ? node : ['taskset', '-c', String(spec.cpu), ...node];
  const [command, ...argv] = pinned as [string, ...string[]];
  const child = spawn(command, argv, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production', ...spec.env },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timeout = spec.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => fail(new Error(`did not print its port within ${timeout / 1000} s`)), timeout);
    const fail = (error: Error) => {
      clearTimeout(timer);
      lines.close();
      child.kill('SIGKILL');
      reject(new Error(`server ${spec.label}: ${error.message}\n${stderr}`));
    };
    lines.on('line', (line) => {
      const match = LISTENING_LINE.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      lines.close();
      resolve(Number(match[1]));
    });
    child.once('exit', (code, signal) => fail(new Error(`exited early (code ${code}, signal ${signal})`)));
    child.once('error', fail);
  });
  child.removeAllListeners('exit');
  child.once('exit', () => running.delete(child));
  return {
    label: spec.label,
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    heapAfterGcMiB: () => heapAfterGc(child),
    minorGc: async () => {
      const answer = once(child, 'message');
      child.send(MINOR_GC_REQUEST);
      await answer;
    },
    stop: () => stopChild(child),
  };
}

async function heapAfterGc(child: ChildProcess): Promise<number> {
  const answer = once(child, 'message') as Promise<[{ heapUsed: number }]>;
  child.send(HEAP_REQUEST);
  const [{ heapUsed }] = await answer;
  return heapUsed / 2 ** 20;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Stops every server still running (used on the way out, including on errors). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map(stopChild));
}

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}
