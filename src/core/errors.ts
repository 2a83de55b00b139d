/** A failure of the emulator itself (options, data file), reported as one line and exit code 2. */
export class EmulatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorError';
  }
}

/**
 * A change that could not be made durable (the disk is full, the log cannot be written): it was
 * undone, nothing of it stays. Each provider answers it with its own service-unavailable style
 * error; the control plane with 507.
 */
export class DurabilityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurabilityError';
  }
}
