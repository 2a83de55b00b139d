/**
 * DescribeHistoryEvents: the account's system events, filtered by the comma-joined EventTypes
 * (required), EventStatus, EventLevels and ResourceIds (style=simple in the SDK), newest first, paged.
 */
import type { EngineContext } from '../../../core/context.js';
import type { Entry } from '../../../core/state.js';
import type { RpcCall } from '../operation.js';
import { csvParam } from '../params.js';
import { ownedBy } from './access.js';
import { EVENTS } from './constants.js';
import { ensErrors } from './errors.js';
import { readPage, slicePage } from './paging.js';

/** One event as the SDK model (DescribeHistoryEventsResponseBodyEvents) orders it, with the UTC twins the API also sends. */
export function eventView(e: Entry): Record<string, unknown> {
  return {
    EventId: e.EventId,
    EventLevel: e.EventLevel,
    EventStatus: e.EventStatus,
    EventType: e.EventType,
    ExtendedAttribute: e.ExtendedAttribute,
    NotBefore: e.NotBefore,
    NotBeforeUtcTime: e.NotBeforeUtcTime,
    PublishTime: e.PublishTime,
    PublishUtcTime: e.PublishUtcTime,
    Reason: e.Reason,
    ResourceId: e.ResourceId,
  };
}

export async function describeHistoryEvents(call: RpcCall, ctx: EngineContext): Promise<Record<string, unknown>> {
  const types = csvParam(call.params, 'EventTypes');
  if (!types || types.length === 0) throw ensErrors.missingParameter('EventTypes');
  const statuses = csvParam(call.params, 'EventStatus');
  const levels = csvParam(call.params, 'EventLevels');
  const resources = csvParam(call.params, 'ResourceIds');
  const page = readPage(call.params);

  const matching = ctx.store
    .list(EVENTS)
    .filter((e) => ownedBy(e, call.accountId))
    .filter((e) => types.includes(e.EventType))
    .filter((e) => !statuses || statuses.includes(e.EventStatus))
    .filter((e) => !levels || levels.includes(e.EventLevel))
    .filter((e) => !resources || resources.includes(e.ResourceId))
    .sort((a, b) => b.PublishTime - a.PublishTime || String(a.EventId).localeCompare(String(b.EventId)));

  return {
    PageNumber: page.number,
    PageSize: page.size,
    TotalCount: matching.length,
    Events: slicePage(matching, page).map(eventView),
  };
}
