import { CartonError } from '../sys/errors.js';

/** The container could not start; exitCode is 125, 126 or 127 as in Docker. */
export class StartError extends CartonError {
  constructor(message: string, hint: string | undefined, readonly exitCode: number) {
    super(message, hint);
  }
}
