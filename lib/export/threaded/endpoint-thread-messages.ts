/** What the main thread gives the exporter thread at start. @internal */
export interface EndpointThreadData {
  /** Ports to try in order; the first one that is free (and allowed) is kept. */
  readonly ports: ReadonlyArray<number>;
  /** A range: a taken or privileged port moves on to the next one, and none free is not an error. */
  readonly range: boolean;
  readonly address?: string;
  readonly token?: string;
  readonly freshTimeoutMs: number;
}

/** Exporter thread → main thread. @internal */
export type FromEndpointThread =
  | { readonly type: 'listening'; readonly port: number; readonly address: string }
  | { readonly type: 'listen-error'; readonly port: number; readonly code?: string; readonly message: string }
  | { readonly type: 'no-free-port' }
  | { readonly type: 'render'; readonly id: number }
  | { readonly type: 'warn'; readonly message: string };

/** Main thread → exporter thread. @internal */
export type ToEndpointThread =
  | { readonly type: 'rendered-part'; readonly id: number; readonly part: string }
  /** The end of a rendering: `body` is its last part (the whole body when no `rendered-part` came before). */
  | { readonly type: 'rendered'; readonly id: number; readonly contentType: string; readonly body: string }
  | { readonly type: 'render-failed'; readonly id: number; readonly message: string }
  | { readonly type: 'close' };
