/** ECI resource shapes: timestamps, events, and the defaults a seeded resource is given. */
import { SeedError, type EngineContext } from '../../../core/context.js';
import { EMULATOR_KEY, type Entry } from '../../../core/state.js';
import { ALIBABA } from '../settings.js';
import { RESOURCE_TYPES } from './resources.js';

/** ECI's time format: UTC, seconds, `Z` (2024-01-01T00:00:00Z). */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const MAX_EVENTS = 50;

export function addEvent(group: Entry, at: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
  const events: Entry[] = (group.Events ??= []);
  events.push({ Count: 1, Type: type, Name: `${group.ContainerGroupId}.${reason.toLowerCase()}`, Message: message, FirstTimestamp: at, LastTimestamp: at, Reason: reason });
  if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
}

const STATUSES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Scheduling', 'ScheduleFailed', 'Restarting', 'Updating', 'Terminating', 'Expired'];

/** The SDK model's numbers: a numeric string seeded there (the state schema allows only those) becomes a number. */
function numbers(e: Entry, fields: readonly string[]): void {
  for (const f of fields) if (typeof e[f] === 'string') e[f] = Number(e[f]);
}

function containerDefaults(c: Entry, created: string): void {
  numbers(c, ['Cpu', 'Memory', 'RestartCount']);
  c.Name ??= 'container';
  c.Image ??= 'nginx:latest';
  c.Cpu ??= 0;
  c.Memory ??= 0;
  c.Ready ??= true;
  c.RestartCount ??= 0;
  c.CurrentState ??= { State: 'Running', StartTime: created };
  c.PreviousState ??= {};
  c.Commands ??= [];
  c.Args ??= [];
  c.Ports ??= [];
  c.EnvironmentVars ??= [];
  c.VolumeMounts ??= [];
}

function groupDefaults(g: Entry, now: string): void {
  numbers(g, ['Cpu', 'Memory']);
  g.ContainerGroupName ??= g.ContainerGroupId;
  g.RegionId ??= 'cn-hangzhou';
  g.ZoneId ??= `${g.RegionId}-h`;
  g.Status ??= 'Running';
  g.CreationTime ??= now;
  g.SucceededTime ??= '';
  g.FailedTime ??= '';
  g.ExpiredTime ??= '';
  g.Cpu ??= 2;
  g.Memory ??= 4;
  g.InstanceType ??= '';
  g.RestartPolicy ??= 'Always';
  g.IntranetIp ??= '172.16.0.10';
  g.InternetIp ??= '';
  g.VpcId ??= '';
  g.VSwitchId ??= '';
  g.SecurityGroupId ??= '';
  g.ResourceGroupId ??= '';
  g.Tags ??= [];
  g.Events ??= [];
  g.Volumes ??= [];
  g.InitContainers ??= [];
  g.Containers ??= [{ Name: 'container', Image: 'nginx:latest', Cpu: g.Cpu, Memory: g.Memory }];
  for (const c of g.Containers) containerDefaults(c, g.CreationTime);
  if (Array.isArray(g.InitContainers)) for (const c of g.InitContainers) if (c && typeof c === 'object') numbers(c, ['Cpu', 'Memory', 'RestartCount']);
}

const OTHER_DEFAULTS: Record<string, (e: Entry, now: string) => void> = {
  ImageCache: (e, now) => {
    e.ImageCacheName ??= e.ImageCacheId;
    e.Status ??= 'Ready';
    e.CreationTime ??= now;
    e.Images ??= [];
  },
  DataCache: (e, now) => {
    e.Name ??= e.DataCacheId;
    e.Status ??= 'Available';
    e.CreationTime ??= now;
  },
  VirtualNode: (e, now) => {
    e.VirtualNodeName ??= e.VirtualNodeId;
    e.Status ??= 'Ready';
    e.CreationTime ??= now;
  },
};

/** Fills defaults on the seeded `alibaba.eci` part, checking what must be there. */
export function normalizeEci(part: Record<string, any>, ctx: EngineContext): void {
  const eci = part.eci;
  if (eci === undefined) return;
  if (typeof eci !== 'object' || eci === null || Array.isArray(eci)) throw new SeedError([{ path: 'alibaba.eci', message: 'alibaba.eci must be an object' }]);
  const now = iso(ctx.clock.now());
  const account = ctx.settings.get(ALIBABA.defaultAccountId);
  const errors: Array<{ path: string; message: string }> = [];
  for (const [type, def] of Object.entries(RESOURCE_TYPES)) {
    const key = def.collection.split('.').pop()!;
    const list = (eci[key] ??= []);
    if (!Array.isArray(list)) {
      errors.push({ path: `alibaba.eci.${key}`, message: `alibaba.eci.${key} must be an array` });
      continue;
    }
    list.forEach((e: any, i: number) => {
      const path = `alibaba.eci.${key}[${i}]`;
      if (typeof e !== 'object' || e === null || Array.isArray(e)) return errors.push({ path, message: `${path} must be an object` });
      if (typeof e[def.idField] !== 'string' || e[def.idField] === '') return errors.push({ path, message: `${path}.${def.idField} must be a non-empty string` });
      if (e.Tags !== undefined && !(Array.isArray(e.Tags) && e.Tags.every((t: any) => t && typeof t.Key === 'string' && (t.Value === undefined || typeof t.Value === 'string')))) {
        return errors.push({ path, message: `${path}.Tags must be an array of { Key, Value } strings` });
      }
      // The SDK's tag model always has a Value; a key-only tag is answered with "".
      for (const t of e.Tags ?? []) t.Value ??= '';
      if (type === 'ContainerGroup') {
        if (e.Status !== undefined && !STATUSES.includes(e.Status)) return errors.push({ path, message: `${path}.Status must be one of ${STATUSES.join(', ')}` });
        if (e.Containers !== undefined && !(Array.isArray(e.Containers) && e.Containers.every((c: unknown) => typeof c === 'object' && c !== null && !Array.isArray(c)))) {
          return errors.push({ path, message: `${path}.Containers must be an array of objects` });
        }
        if (e.Events !== undefined && !Array.isArray(e.Events)) return errors.push({ path, message: `${path}.Events must be an array` });
        groupDefaults(e, now);
      } else {
        e.RegionId ??= 'cn-hangzhou';
        e.Tags ??= [];
        OTHER_DEFAULTS[type]!(e, now);
      }
      const meta = (e[EMULATOR_KEY] ??= {});
      meta.accountId = meta.accountId === undefined ? account : String(meta.accountId);
      return undefined;
    });
  }
  if (errors.length) throw new SeedError(errors);
}
