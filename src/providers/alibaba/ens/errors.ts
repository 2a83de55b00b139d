/**
 * ENS error catalogue: one factory per code. The documented ones for BatchEventRebootInstance are
 * 400 NoPermission ("Permission denied.") and 400 InvalidParameter.%s ("The specified field %s
 * invalid. Please check it again."); MissingParameter is the common ENS code for a required
 * parameter (documented on RebootInstance and the other instance calls).
 */
import { AlibabaError, accessDeniedDetail, defineError } from '../errors.js';

export const ensErrors = {
  /** The code names the field: InvalidParameter.EventInfos, InvalidParameter.PlanTime... */
  invalidParameter: (name: string): AlibabaError =>
    new AlibabaError(400, `InvalidParameter.${name}`, `The specified field ${name} invalid. Please check it again.`),
  missingParameter: defineError(400, 'MissingParameter', (name: string) => `The input parameter ${name} that is mandatory for processing this request is not supplied.`),
  noPermission: defineError(
    400,
    'NoPermission',
    (_action: string, _accountId: string, _accessKeyId: string) => 'Permission denied.',
    (action: string, accountId: string, accessKeyId: string) => ({ AccessDeniedDetail: accessDeniedDetail(action, accountId, accessKeyId) }),
  ),
};
