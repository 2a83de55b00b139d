/** ENS resources for the tests, in the shapes DescribeInstances / DescribeHistoryEvents answer with. */
export const T0 = Date.parse('2026-01-15T08:00:00.000Z');
export const HOUR = 3600_000;
export const REBOOT_MS = 2000;

export const I1 = 'i-55qi8m11rr53c4i964md8a00l';
export const I2 = 'i-55qi8m11rr53c4i964md8a00m';
export const I3 = 'i-55qi8m11rr53c4i964md8a00n';
export const STOPPED = 'i-5stopped00000000000000001';

export const E1 = 'e-4452cec5a8f8eb9b2879a054207687d6';
export const E2 = 'e-d71ff150945b9c02eb6ebc0016328468';
export const E3 = 'e-00000000000000000000000000000003';
export const E_FAILURE = 'e-00000000000000000000000000000004';
export const E_DONE = 'e-00000000000000000000000000000005';
export const E_CANCELED = 'e-00000000000000000000000000000006';
export const E_STOPPED = 'e-00000000000000000000000000000007';
export const E_NO_INSTANCE = 'e-00000000000000000000000000000008';

export function ensSeed(): Record<string, any> {
  return {
    alibaba: {
      accessKeys: [{ AccessKeyId: 'LTAI5tFAKEACCESSKEYID01', AccessKeySecret: 'FakeAccessKeySecretForCapture0001' }],
      ens: {
        instances: [
          {
            InstanceId: I1,
            InstanceName: 'edge-test',
            Status: 'Running',
            EnsRegionId: 'cn-hangzhou-telecom',
            SpecName: 'ens.sn1.small',
            Cpu: '2',
            Memory: 4096,
            OSName: 'centos 7.6',
            ImageId: 'centos_7_06_64_20G_alibase_20190711',
            CreationTime: '2024-01-01T00:00:00Z',
            InstanceResourceType: 'EnsService',
            Tags: { Tags: [{ TagKey: 'env', TagValue: 'test' }] },
          },
          { InstanceId: I2, EnsRegionId: 'cn-beijing-cmcc' },
          { InstanceId: I3 },
          { InstanceId: STOPPED, Status: 'Stopped' },
        ],
        events: [
          { EventId: E1, ResourceId: I1, PublishTime: T0 - 5 * HOUR },
          { EventId: E2, ResourceId: I2, PublishTime: T0 - 4 * HOUR, EventLevel: 'CRITICAL' },
          { EventId: E3, ResourceId: I3, PublishTime: T0 - 3 * HOUR, EventStatus: 'Scheduled' },
          { EventId: E_FAILURE, ResourceId: I1, PublishTime: T0 - 2 * HOUR, EventType: 'Instance:SystemFailure.Reboot', Reason: 'system failure' },
          { EventId: E_DONE, ResourceId: I2, PublishTime: T0 - 6 * HOUR, EventStatus: 'Executed' },
          { EventId: E_CANCELED, ResourceId: I3, PublishTime: T0 - 7 * HOUR, EventStatus: 'Canceled' },
          { EventId: E_STOPPED, ResourceId: STOPPED, PublishTime: T0 - 8 * HOUR },
          { EventId: E_NO_INSTANCE, ResourceId: 'i-doesnotexist000000000000', PublishTime: T0 - 9 * HOUR },
        ],
      },
    },
  };
}

export function eventInfos(...items: Array<Record<string, unknown>>): string {
  return JSON.stringify(items);
}
