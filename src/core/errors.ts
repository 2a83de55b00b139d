/** A failure of the emulator itself (options, data file), reported as one line and exit code 2. */
export class EmulatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorError';
  }
}

/** A change that could not be made durable (the disk is full, the log cannot be written): it was not applied. */
export class DurabilityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurabilityError';
  }
}
