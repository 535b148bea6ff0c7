/**
 * A failure the user can fix (bad arguments, no assembly, no credentials): printed as one line,
 * exit code 1, never with a stack trace.
 */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** `Name: message` of any thrown value, for one-line messages. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message.split('\n')[0];
    return error.name && error.name !== 'Error' ? `${error.name}: ${message}` : message;
  }
  return String(error);
}

