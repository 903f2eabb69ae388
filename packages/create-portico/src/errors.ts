/** A mistake on the command line or about the target folder: shown as one message, exit code 1. */
export class CreateError extends Error {
  override readonly name = 'CreateError';
}
