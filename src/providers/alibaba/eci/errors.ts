/**
 * ECI's error catalogue (one factory per code). Codes, statuses and the fixed messages are the
 * documented ones (RestartContainerGroup and UntagResources reference pages); where a page only
 * says `%s`, the message names what was wrong.
 */
import { accessDeniedDetail, defineError } from '../errors.js';

export const ECI_HOST = 'eci.aliyuncs.com';

export const eciErrors = {
  incorrectStatus: defineError(400, 'IncorrectStatus', (why: string) => `The current status of the resource does not support this operation. ${why}`),
  /** The documented InvalidParameter, for an id that names nothing (setting alibaba.eci.notFoundStyle = InvalidParameter). */
  resourceNotFoundAsInvalid: defineError(400, 'InvalidParameter', (type: string, id: string) => `The specified ${type} "${id}" does not exist.`),
  /** The sub-code some public client code matches on real answers (setting alibaba.eci.notFoundStyle = InvalidParameter.NotFound). */
  resourceNotFoundSubCode: defineError(400, 'InvalidParameter.NotFound', (type: string, id: string) => `The specified ${type} "${id}" does not exist.`),
  /** The 404 style that Alibaba's tag APIs use elsewhere (setting alibaba.eci.notFoundStyle = NotFound). */
  resourceNotFound: defineError(404, 'InvalidResourceId.NotFound', (type: string, id: string) => `The specified ${type} "${id}" does not exist.`),
  operationConflict: defineError(400, 'OperationConflict', () => 'Request was denied due to conflict with a previous request.'),
  noPermissionTag: defineError(
    400,
    'NoPermission.Tag',
    (_action: string, _accountId: string, _accessKeyId: string) => 'No permissions to operate tags.',
    (action: string, accountId: string, accessKeyId: string) => ({ AccessDeniedDetail: accessDeniedDetail(action, accountId, accessKeyId) }),
  ),
  numberExceedTags: defineError(400, 'NumberExceed.Tags', () => 'The length of tags exceeded limit: 20.'),
  forbiddenRam: defineError(
    403,
    'Forbidden.RAM',
    (action: string, _accountId: string, _accessKeyId: string) => `User not authorized to operate on the specified resource, or this API doesn't support RAM. The action ${action} is not allowed.`,
    (action: string, accountId: string, accessKeyId: string) => ({ AccessDeniedDetail: accessDeniedDetail(action, accountId, accessKeyId) }),
  ),
};
