/** A restart in progress survives an emulator restart: its steps are data on the deployment. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestEmulator } from '../support/emulator.js';
import { DEP, KIBANA_INFO, RESTART, call, restartPath, seed } from './support.js';

test('a pending restart completes after the emulator is reopened on the same data file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ece-durability-'));
  const data = path.join(dir, 'state.json');
  try {
    const first = await startTestEmulator({ data });
    await first.seed(seed());
    expect((await call(first, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'))).status).toBe(202);
    await first.advance(1000);
    await first.close();

    const second = await startTestEmulator({ data, clockStart: '2026-01-15T08:00:01.000Z' });
    try {
      const during = await call(second, KIBANA_INFO, 'get', `/api/v1/deployments/${DEP}/kibana/main-kibana?show_plan_logs=true`);
      expect(during.body.info.status).toBe('rebooting');
      expect(during.body.info.plan_info.pending.plan_attempt_log.map((s: any) => s.step_id)).toEqual(['set-maintenance', 'wait-until-stopped']);
      await second.advance(2000);
      const done = await call(second, KIBANA_INFO, 'get', `/api/v1/deployments/${DEP}/kibana/main-kibana`);
      expect(done.body.info.status).toBe('started');
      expect(done.body.info.plan_info.current.attempt_end_time).toBe('2026-01-15T08:00:03.000Z');
    } finally {
      await second.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
