/**
 * The SDK model's instance fields a seed leaves out, filled when an instance is answered (or matched
 * by a filter that reads them), so the stored entries stay as the seed gave them.
 */
/** A stable small number from an id, so the addresses a seed leaves out are the same on every read. */
function hashOf(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

/** The carrier an ENS region names (`cn-hangzhou-telecom` → telecom): its IPs' Isp. */
function ispOf(region: string): string {
  const last = region.split('-').pop() ?? '';
  return ['telecom', 'unicom', 'cmcc', 'cucc', 'ctcc', 'cmnet', 'btvn'].includes(last) ? last : '';
}

/**
 * The rest of the SDK model's instance fields (DescribeInstancesResponseBodyInstancesInstance), from
 * the entry: one private and one public address derived from the id (in 10.0.0.0/16 and the
 * documentation range 203.0.113.0/24, so they cannot collide with a real host), the carrier from the
 * region, a 20 GiB system disk like the default image's, no data disks, security groups or key pair.
 */
export function instanceModelDefaults(e: Record<string, any>): void {
  const h = hashOf(String(e.InstanceId));
  const privateIp = `10.0.${(h >>> 8) & 0xff}.${(h & 0xfe) + 1}`;
  const publicIp = `203.0.113.${(h % 254) + 1}`;
  const isp = ispOf(String(e.EnsRegionId));
  e.HostName ??= e.InstanceId;
  e.AutoReleaseTime ??= '';
  e.ExpiredTime ??= '';
  e.DeletionProtection ??= false;
  e.KeyPairName ??= '';
  e.ServiceStatus ??= '';
  e.SpotStrategy ??= 'NoSpot';
  e.InstanceTypeFamily ??= typeof e.SpecName === 'string' ? e.SpecName.split('.').slice(0, 2).join('.') : '';
  e.InternetMaxBandwidthIn ??= 100;
  e.InternetMaxBandwidthOut ??= 100;
  e.Disk ??= 20;
  e.SystemDisk ??= { Category: 'cloud_efficiency', DiskId: `d-${String(e.InstanceId).replace(/^i-/, '')}`, DiskName: '', Size: 20, device_type: 'disk', disk_type: 'system', name: '', storage: 20, uuid: '' };
  e.DataDisk ??= { DataDisk: [] };
  e.SecurityGroupIds ??= { SecurityGroupId: [] };
  e.InnerIpAddress ??= { IpAddress: [privateIp] };
  e.PrivateIpAddresses ??= { PrivateIpAddress: [{ GateWay: '10.0.0.1', Ip: privateIp, Isp: '' }] };
  e.PublicIpAddress ??= { IpAddress: [publicIp] };
  e.PublicIpAddresses ??= { PublicIpAddress: [{ GateWay: '203.0.113.254', Ip: publicIp, Isp: isp }] };
  e.NetworkAttributes ??= { NetworkId: '', PrivateIpAddress: { IpAddress: [privateIp] }, VSwitchId: '' };
  e.NetworkInterfaces ??= { NetworkInterfaces: [] };
}

