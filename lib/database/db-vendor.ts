/**
 * The `vendor` label: django-prometheus's vendor names for the databases the package measures
 * (`postgresql`, `mysql`, `sqlite`); any other string is passed through as given.
 */
export type DbVendor = 'postgresql' | 'mysql' | 'sqlite' | (string & {});
