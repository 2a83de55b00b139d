// Two test files meet here, so the test proves they ran at the same time (in two workers): each
// leaves a note and waits (real time, bounded) for the other's. Nothing here waits on the emulator.
const fs = require('node:fs');
const path = require('node:path');

module.exports = async function rendezvous(suite, name, note) {
  const dir = path.join(__dirname, '.rendezvous', suite);
  fs.mkdirSync(dir, { recursive: true });
  // Written under another name, then renamed: the other worker never reads a note half-written.
  const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(note));
  fs.renameSync(tmp, path.join(dir, name));
  const deadline = Date.now() + 20000;
  for (;;) {
    const notes = fs.readdirSync(dir).filter((n) => !n.startsWith('.'));
    if (notes.length >= 2) return notes.filter((n) => n !== name).map((n) => JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')));
    if (Date.now() > deadline) throw new Error(`the other worker never arrived (notes: ${notes.join(', ')}): the files did not run in parallel`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
