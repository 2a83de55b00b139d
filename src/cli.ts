#!/usr/bin/env node
/** The `cloud-api-emulator` command: flags and env → options → startEmulator, until a signal. */
import { CLI_DEFAULT_DATA, CLI_DEFAULT_LOG_LEVEL, helpText, parseCli } from './config.js';
import { EmulatorError } from './core/errors.js';
import { DASHBOARD_PATH } from './http/dashboard.js';
import { BUILTIN_PROVIDERS } from './providers/index.js';
import { startEmulator, VERSION } from './index.js';

function fail(message: string): never {
  process.stderr.write(`cloud-api-emulator: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof EmulatorError) fail(err.message);
    throw err;
  }
  if (parsed.kind === 'help') {
    const transitions = Object.assign({}, ...BUILTIN_PROVIDERS.map((p) => p.transitions));
    const settings = BUILTIN_PROVIDERS.flatMap((p) => p.settings ?? []);
    process.stdout.write(helpText(settings, transitions) + '\n');
    return;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  let emulator;
  try {
    // The command keeps a sandbox on disk and says what it serves; startEmulator() alone is in memory and quiet.
    const { options } = parsed;
    emulator = await startEmulator({ ...options, data: options.inMemory ? undefined : (options.data ?? CLI_DEFAULT_DATA), logLevel: options.logLevel ?? CLI_DEFAULT_LOG_LEVEL });
  } catch (err) {
    if (err instanceof EmulatorError) fail(err.message);
    throw err;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second signal: the user wants out now; acknowledged changes are already on disk.
      emulator.kill();
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`${signal}: flushing and stopping\n`);
    emulator.close().then(
      () => process.exit(0),
      (err) => fail(`error while stopping: ${err?.message ?? err}`),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  watchLauncher(() => stop('parent process exited'));
  const services = BUILTIN_PROVIDERS.map((p) => `${p.name} (${p.services.join(', ')})`).join(', ');
  process.stdout.write(`cloud-api-emulator ${VERSION} listening on ${emulator.url}\ndashboard: ${emulator.url}${DASHBOARD_PATH}/\nproviders: ${services}\nstore: ${emulator.ctx.config.data ?? 'in memory'}\n`);
}

/** How often (ms) the emulator checks that npm, which started it, is still there. */
const LAUNCHER_POLL_MS = 500;

/**
 * Started through npm (`npx cloud-api-emulator`, `npm start`), the emulator runs under a shell
 * that npm starts; a SIGTERM to npm kills that shell, not the emulator, which would be left
 * running as an orphan holding its port and data file. So, under npm only, it stops gracefully
 * when it is re-parented. (Run directly, e.g. with nohup or as a container's command, it is left alone.)
 */
function watchLauncher(stop: () => void): void {
  if (process.env.npm_command === undefined && process.env.npm_lifecycle_event === undefined) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, LAUNCHER_POLL_MS);
  timer.unref();
}

main().catch((err) => fail(err?.message ?? String(err)));
