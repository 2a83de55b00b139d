/**
 * The response models of @alicloud/ens20171110 (not installable from the registry here), reduced to
 * the fields these tests read, with the same names/types tables, so @darabonba/typescript's cast
 * (what the generated SDK runs on every body) can be applied: it throws if an array field is not an array.
 */
import * as $dara from '@darabonba/typescript';

function model(names: Record<string, string>, types: Record<string, any>) {
  return class extends $dara.Model {
    static names() {
      return names;
    }
    static types() {
      return types;
    }
    constructor(map?: Record<string, any>) {
      super(map);
    }
  };
}

const RebootResult = model(
  { code: 'Code', eventId: 'EventId', message: 'Message', resourceId: 'ResourceId' },
  { code: 'number', eventId: 'string', message: 'string', resourceId: 'string' },
);
export const BatchEventRebootInstanceResponseBody = model(
  { requestId: 'RequestId', results: 'Results' },
  { requestId: 'string', results: { type: 'array', itemType: RebootResult } },
);

const HistoryEvent = model(
  {
    eventId: 'EventId', eventLevel: 'EventLevel', eventStatus: 'EventStatus', eventType: 'EventType', extendedAttribute: 'ExtendedAttribute',
    notBefore: 'NotBefore', notBeforeUtcTime: 'NotBeforeUtcTime', publishTime: 'PublishTime', publishUtcTime: 'PublishUtcTime', reason: 'Reason', resourceId: 'ResourceId',
  },
  {
    eventId: 'string', eventLevel: 'string', eventStatus: 'string', eventType: 'string', extendedAttribute: 'string',
    notBefore: 'number', notBeforeUtcTime: 'string', publishTime: 'number', publishUtcTime: 'string', reason: 'string', resourceId: 'string',
  },
);
export const DescribeHistoryEventsResponseBody = model(
  { events: 'Events', pageNumber: 'PageNumber', pageSize: 'PageSize', requestId: 'RequestId', totalCount: 'TotalCount' },
  { events: { type: 'array', itemType: HistoryEvent }, pageNumber: 'number', pageSize: 'number', requestId: 'string', totalCount: 'number' },
);

const InstanceTag = model({ tagKey: 'TagKey', tagValue: 'TagValue' }, { tagKey: 'string', tagValue: 'string' });
const InstanceTags = model({ tags: 'Tags' }, { tags: { type: 'array', itemType: InstanceTag } });
const Instance = model(
  {
    cpu: 'Cpu', creationTime: 'CreationTime', ensRegionId: 'EnsRegionId', imageId: 'ImageId', instanceId: 'InstanceId', instanceName: 'InstanceName',
    instanceResourceType: 'InstanceResourceType', memory: 'Memory', OSName: 'OSName', specName: 'SpecName', status: 'Status', tags: 'Tags',
  },
  {
    cpu: 'string', creationTime: 'string', ensRegionId: 'string', imageId: 'string', instanceId: 'string', instanceName: 'string',
    instanceResourceType: 'string', memory: 'number', OSName: 'string', specName: 'string', status: 'string', tags: InstanceTags,
  },
);
const Instances = model({ instance: 'Instance' }, { instance: { type: 'array', itemType: Instance } });
export const DescribeInstancesResponseBody = model(
  { code: 'Code', instances: 'Instances', pageNumber: 'PageNumber', pageSize: 'PageSize', requestId: 'RequestId', totalCount: 'TotalCount' },
  { code: 'number', instances: Instances, pageNumber: 'number', pageSize: 'number', requestId: 'string', totalCount: 'number' },
);

/** The body as the generated SDK hands it to the caller: cast into the model, as plain data. */
export function asSdk(Model: new (map?: Record<string, any>) => $dara.Model, body: unknown): Record<string, any> {
  return JSON.parse(JSON.stringify($dara.cast(body, new Model({}))));
}
