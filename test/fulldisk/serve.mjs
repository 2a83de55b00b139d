// One emulator process for the full-disk driver: the built package's API with a small compaction
// threshold (no CLI flag sets it), so compactions run while the disk is full. SIGTERM: graceful stop.
import { startEmulator } from '../../dist/index.js';

const [data, fixtures, compactBytes] = process.argv.slice(2);
const emulator = await startEmulator({ data, fixtures, port: 0, logLevel: 'warn', compactBytes: Number(compactBytes), transitions: { 'huawei.koophone.reboot': 3600000 } });
process.on('SIGTERM', () => emulator.close().then(() => process.exit(0), () => process.exit(3)));
process.stdout.write(`listening on ${emulator.url}\n`);
