/** Thrown at startup when an option or environment variable has a value the module cannot use. */
export class PrometheusConfigError extends Error {
  override readonly name = 'PrometheusConfigError';

  constructor(readonly problems: ReadonlyArray<string>) {
    super(
      problems.length === 1
        ? `nest-prometheus: invalid configuration: ${problems[0]}`
        : `nest-prometheus: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}
