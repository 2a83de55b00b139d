// This worker's suite (worker.cjs): its own emulator, its clock in 2031.
require('./worker.cjs')('a', 2031);
