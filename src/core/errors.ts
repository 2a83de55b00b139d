/** A failure of the emulator itself (options, data file), reported as one line and exit code 2. */
export class EmulatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorError';
  }
}
