/** Thrown when an environment variable has a value the server cannot use. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(name: string, value: string, expected: string) {
    super(`${name}=${JSON.stringify(value)} is not valid: expected ${expected}.`);
    this.name = 'ConfigError';
  }
}
