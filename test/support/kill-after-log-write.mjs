// Preloaded into an emulator process by a test (node --import): the process kills itself with
// SIGKILL right after a write whose bytes contain KILL_AFTER_WRITE_CONTAINING, i.e. after a change
// is durable in the log and before the request that made it is answered.
import fs from 'node:fs';

const marker = process.env.KILL_AFTER_WRITE_CONTAINING;
const writeSync = fs.writeSync;
fs.writeSync = function (fd, buffer, ...rest) {
  const written = writeSync.call(this, fd, buffer, ...rest);
  if (marker && Buffer.isBuffer(buffer) && buffer.includes(marker)) process.kill(process.pid, 'SIGKILL');
  return written;
};
