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

/**
 * A container state with every field the SDK model declares (CurrentState, PreviousState): what a
 * state leaves out is zero or empty, as the API answers a field that does not apply.
 */
export function containerState(s: Entry = {}): Entry {
  return { DetailStatus: '', ExitCode: 0, FinishTime: '', Message: '', Reason: '', Signal: 0, StartTime: '', State: '', ...s };
}

/** A probe nobody configured: every field zero or empty (the model's LivenessProbe / ReadinessProbe). */
function noProbe(): Entry {
  return { Execs: [], FailureThreshold: 0, HttpGet: { Path: '', Port: 0, Scheme: '' }, InitialDelaySeconds: 0, PeriodSeconds: 0, SuccessThreshold: 0, TcpSocket: { Host: '', Port: 0 }, TimeoutSeconds: 0 };
}

/** The state a container of a group in `status` is in when a seed says nothing of it. */
function stateFor(status: string, created: string, ended: string): Entry {
  if (status === 'Succeeded') return { State: 'Terminated', Reason: 'Completed', ExitCode: 0, StartTime: created, FinishTime: ended };
  if (status === 'Failed') return { State: 'Terminated', Reason: 'Error', ExitCode: 1, StartTime: created, FinishTime: ended };
  if (status === 'Pending' || status === 'Scheduling' || status === 'ScheduleFailed') return { State: 'Waiting', Reason: 'ContainerCreating' };
  return { State: 'Running', StartTime: created };
}

/** Items of a container's lists, each with the fields its model declares. */
function itemDefaults(c: Entry): void {
  for (const p of Array.isArray(c.Ports) ? c.Ports : []) if (p && typeof p === 'object') Object.assign(p, { Port: 0, Protocol: 'TCP', ...p });
  for (const v of Array.isArray(c.EnvironmentVars) ? c.EnvironmentVars : []) if (v && typeof v === 'object') Object.assign(v, { Key: '', Value: '', ValueFrom: { FieldRef: { FieldPath: '' } }, ...v });
  for (const m of Array.isArray(c.VolumeMounts) ? c.VolumeMounts : []) if (m && typeof m === 'object') Object.assign(m, { MountPath: '', MountPropagation: 'None', Name: '', ReadOnly: false, ...m });
}

function commonContainerDefaults(c: Entry, group: Entry, init: boolean): void {
  numbers(c, ['Cpu', 'Memory', 'RestartCount', 'Gpu']);
  c.Name ??= init ? 'init-container' : 'container';
  c.Image ??= 'nginx:latest';
  c.Cpu ??= 0;
  c.Memory ??= 0;
  c.Gpu ??= 0;
  c.RestartCount ??= 0;
  c.ImagePullPolicy ??= 'IfNotPresent';
  c.WorkingDir ??= '';
  c.Args ??= [];
  c.Ports ??= [];
  c.EnvironmentVars ??= [];
  c.VolumeMounts ??= [];
  c.SecurityContext ??= { Capability: { Adds: [] }, ReadOnlyRootFilesystem: false, RunAsUser: 0 };
  const ended = group.SucceededTime || group.FailedTime || group.CreationTime;
  // An init container has run to completion before the group's containers start.
  const initial = init ? { State: 'Terminated', Reason: 'Completed', ExitCode: 0, StartTime: group.CreationTime, FinishTime: group.CreationTime } : stateFor(group.Status, group.CreationTime, ended);
  c.CurrentState = containerState(c.CurrentState && typeof c.CurrentState === 'object' ? c.CurrentState : initial);
  c.PreviousState = containerState(c.PreviousState && typeof c.PreviousState === 'object' ? c.PreviousState : {});
  c.Ready ??= init ? false : c.CurrentState.State === 'Running';
  itemDefaults(c);
}

function containerDefaults(c: Entry, group: Entry): void {
  commonContainerDefaults(c, group, false);
  c.Commands ??= [];
  c.Stdin ??= false;
  c.StdinOnce ??= false;
  c.Tty ??= false;
  c.LivenessProbe ??= noProbe();
  c.ReadinessProbe ??= noProbe();
}

function initContainerDefaults(c: Entry, group: Entry): void {
  commonContainerDefaults(c, group, true);
  c.Command ??= [];
}

const VOLUME_DEFAULTS = {
  ConfigFileVolumeConfigFileToPaths: [],
  DiskVolumeDiskId: '',
  DiskVolumeFsType: '',
  EmptyDirVolumeMedium: '',
  EmptyDirVolumeSizeLimit: '',
  FlexVolumeDriver: '',
  FlexVolumeFsType: '',
  FlexVolumeOptions: '',
  NFSVolumePath: '',
  NFSVolumeReadOnly: false,
  NFSVolumeServer: '',
  Name: '',
  Type: 'EmptyDirVolume',
};

/** The group's ENI: one per group, named after it (consistent across reads). */
function eniOf(id: string): string {
  return `eni-${id.replace(/^eci-/, '').slice(0, 20)}`;
}

/**
 * What a seed leaves out of a group, kept in the state document: the fields the emulator itself reads
 * and changes (status, times, containers and their states), when they say something. The rest of the
 * model, and every field whose default is empty ('' or an empty list: emptyDefaults), is filled in
 * when a group is answered (modelDefaults), so stored entries stay small: a data file of 100,000
 * groups is read, parsed and held at start, and every byte of an entry is paid 100,000 times.
 */
function seedDefaults(g: Entry, now: string): void {
  numbers(g, ['Cpu', 'Memory', 'Discount', 'EphemeralStorage', 'SpotPriceLimit']);
  g.ContainerGroupName ??= g.ContainerGroupId;
  g.RegionId ??= 'cn-hangzhou';
  g.ZoneId ??= `${g.RegionId}-h`;
  g.Status ??= 'Running';
  g.CreationTime ??= now;
  g.Cpu ??= 2;
  g.Memory ??= 4;
  g.RestartPolicy ??= 'Always';
  g.IntranetIp ??= '172.16.0.10';
  g.Tags ??= [];
  g.Containers ??= [{ Name: 'container', Image: 'nginx:latest', Cpu: g.Cpu, Memory: g.Memory }];
  for (const c of g.Containers) {
    numbers(c, ['Cpu', 'Memory', 'RestartCount', 'Gpu']);
    c.Name ??= 'container';
    c.Image ??= 'nginx:latest';
    c.Cpu ??= 0;
    c.Memory ??= 0;
    c.RestartCount ??= 0;
    c.CurrentState ??= stateFor(g.Status, g.CreationTime, g.SucceededTime || g.FailedTime || g.CreationTime);
    c.Ready ??= c.CurrentState?.State === 'Running';
  }
  if (Array.isArray(g.InitContainers)) for (const c of g.InitContainers) if (c && typeof c === 'object') numbers(c, ['Cpu', 'Memory', 'RestartCount', 'Gpu']);
}

/** The defaults that say nothing (empty strings and lists): not stored, filled in when a group is answered. */
function emptyDefaults(g: Entry): void {
  g.SucceededTime ??= '';
  g.FailedTime ??= '';
  g.ExpiredTime ??= '';
  g.InstanceType ??= '';
  g.InternetIp ??= '';
  g.VpcId ??= '';
  g.VSwitchId ??= '';
  g.SecurityGroupId ??= '';
  g.ResourceGroupId ??= '';
  g.Events ??= [];
  g.Volumes ??= [];
  g.InitContainers ??= [];
  // A container's empty lists and its PreviousState: containerDefaults (below) fills them.
}

/**
 * Every field the SDK model declares, on a copy of a group about to be answered: what the entry does
 * not say is zero, empty or false, or follows from the rest of the entry. Fills only what is absent.
 */
export function modelDefaults(g: Entry, now: string): void {
  seedDefaults(g, now);
  emptyDefaults(g);
  // What seedDefaults leaves out: fields nothing in the emulator reads or changes.
  g.Ipv6Address ??= '';
  g.EniInstanceId ??= eniOf(g.ContainerGroupId);
  g.ComputeCategory ??= 'general';
  g.SpotStrategy ??= 'NoSpot';
  g.SpotPriceLimit ??= 0;
  g.Discount ??= 1;
  g.EphemeralStorage ??= 0;
  g.RamRoleName ??= '';
  g.DnsPolicy ??= 'Default';
  g.DnsConfig ??= { NameServers: [], Options: [], Searches: [] };
  g.EciSecurityContext ??= { Sysctls: [] };
  g.HostAliases ??= [];
  g.TenantEniInstanceId ??= '';
  g.TenantEniIp ??= '';
  g.TenantSecurityGroupId ??= '';
  g.TenantVSwitchId ??= '';
  for (const c of g.Containers) containerDefaults(c, g);
  if (Array.isArray(g.InitContainers)) for (const c of g.InitContainers) if (c && typeof c === 'object' && !Array.isArray(c)) initContainerDefaults(c, g);
  if (Array.isArray(g.Volumes)) for (const v of g.Volumes) if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(v, { ...VOLUME_DEFAULTS, ...v });
  for (const e of g.Events) if (e && typeof e === 'object') Object.assign(e, { Count: 1, FirstTimestamp: g.CreationTime, LastTimestamp: g.CreationTime, Message: '', Name: '', Reason: '', Type: 'Normal', ...e });
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
        seedDefaults(e, now);
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
