/** What the main thread gives the exporter thread at start. @internal */
export interface EndpointThreadData {
  readonly port: number;
  readonly address?: string;
  readonly token?: string;
  readonly freshTimeoutMs: number;
}

/** Exporter thread → main thread. @internal */
export type FromEndpointThread =
  | { readonly type: 'listening'; readonly port: number; readonly address: string }
  | { readonly type: 'listen-error'; readonly code?: string; readonly message: string }
  | { readonly type: 'render'; readonly id: number }
  | { readonly type: 'warn'; readonly message: string };

/** Main thread → exporter thread. @internal */
export type ToEndpointThread =
  | { readonly type: 'rendered'; readonly id: number; readonly contentType: string; readonly body: string }
  | { readonly type: 'render-failed'; readonly id: number; readonly message: string }
  | { readonly type: 'close' };
