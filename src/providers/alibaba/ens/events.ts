/**
 * DescribeHistoryEvents: the account's system events, filtered by the comma-joined EventTypes
 * (required), EventStatus, EventLevels and ResourceIds (style=simple in the SDK), newest first, paged.
 */
import type { ReadView } from '../../../core/store.js';
import type { Entry } from '../../../core/state.js';
import type { RpcCall } from '../operation.js';
import { byText, inOrder } from '../order.js';
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

/** Newest first (PublishTime), the id breaking ties; seeds usually come in one order or the other, so this rarely sorts. */
const newestFirst = (a: Entry, b: Entry) => b.PublishTime - a.PublishTime || byText(a.EventId, b.EventId);

export function describeHistoryEvents(call: RpcCall, view: ReadView): Record<string, unknown> {
  const types = csvParam(call.params, 'EventTypes');
  if (!types || types.length === 0) throw ensErrors.missingParameter('EventTypes');
  const statuses = csvParam(call.params, 'EventStatus');
  const levels = csvParam(call.params, 'EventLevels');
  const resources = csvParam(call.params, 'ResourceIds');
  const page = readPage(call.params);

  const matching = inOrder(
    view
      .list(EVENTS)
      .filter((e) => ownedBy(e, call.accountId) && types.includes(e.EventType) && (!statuses || statuses.includes(e.EventStatus)) && (!levels || levels.includes(e.EventLevel)) && (!resources || resources.includes(e.ResourceId))),
    newestFirst,
  );

  return {
    PageNumber: page.number,
    PageSize: page.size,
    TotalCount: matching.length,
    Events: slicePage(matching, page).map(eventView),
  };
}
