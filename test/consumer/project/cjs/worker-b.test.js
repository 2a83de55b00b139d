// This worker's suite (worker.cjs): its own emulator, its clock in 2042.
require('./worker.cjs')('b', 2042);
