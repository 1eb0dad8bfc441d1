/** Where the standalone exporter reports the address it bound and ports it could not bind. */
export interface EndpointLogger {
  log(message: string): void;
  warn(message: string): void;
}
