#!/usr/bin/env node
/** The `cloud-api-emulator` command: flags and env → options → startEmulator, until a signal. */
import { helpText, parseCli } from './config.js';
import { EmulatorError } from './core/errors.js';
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
    emulator = await startEmulator(parsed.options);
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
  const services = BUILTIN_PROVIDERS.map((p) => `${p.name} (${p.services.join(', ')})`).join(', ');
  process.stdout.write(`cloud-api-emulator ${VERSION} listening on ${emulator.url}\nproviders: ${services}\nstore: ${emulator.ctx.config.data ?? 'in memory'}\n`);
}

main().catch((err) => fail(err?.message ?? String(err)));
