/**
 * Everything recorded about one request, gathered by an adapter hook when the request ends.
 * One reusable object per adapter hook set: recording allocates nothing.
 * @internal
 */
export class HttpObservation {
  method = '';
  transport = 'http';
  ajax = false;
  requestBytes = 0;
  view = '';
  handled = false;
  /** Seconds from the handler's pipeline start to the end of the response; `-1` if unknown. */
  handlerLatency = -1;
  /** Seconds from the first hook to the end of the response; `-1` if unknown (client went away). */
  latency = -1;
  /** Status code label; `''` if no response was sent. */
  status = '';
  /** Content-Length of a non-streaming response; `-1` when streamed or not sent. */
  responseBytes = -1;
  streaming = false;
  charset: string | undefined = undefined;
  template: string | undefined = undefined;
  exception: string | undefined = undefined;
  extraLabels: Readonly<Record<string, string>> | undefined = undefined;
}
