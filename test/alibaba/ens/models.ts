/**
 * The response models of @alicloud/ens20171110 (not installable from the registry here), whole, from
 * the SDK's own names/types tables (../sdk-models), so @darabonba/typescript's cast (what the
 * generated SDK runs on every body) can be applied: it throws if an array field is not an array.
 */
import * as $dara from '@darabonba/typescript';
import { sdkModel } from '../sdk-models/index.js';

export const BatchEventRebootInstanceResponseBody = sdkModel('ens', 'BatchEventRebootInstanceResponseBody');
export const DescribeHistoryEventsResponseBody = sdkModel('ens', 'DescribeHistoryEventsResponseBody');
export const DescribeInstancesResponseBody = sdkModel('ens', 'DescribeInstancesResponseBody');

/** The body as the generated SDK hands it to the caller: cast into the model, as plain data. */
export function asSdk(Model: new (map?: Record<string, any>) => $dara.Model, body: unknown): Record<string, any> {
  return JSON.parse(JSON.stringify($dara.cast(body, new Model({}))));
}
