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

/** Values a list filter may name; more → InvalidParameter.<name> (an emulator bound: the reference names none). */
export const MAX_FILTER_VALUES = 100;

/** A comma-joined filter as a set (one lookup per event, whatever its length), at most MAX_FILTER_VALUES values. */
function filterValues(params: Record<string, string>, name: string): Set<string> | undefined {
  const values = csvParam(params, name);
  if (values === undefined) return undefined;
  if (values.length > MAX_FILTER_VALUES) throw ensErrors.invalidParameter(name);
  return new Set(values);
}

/** Newest first (PublishTime), the id breaking ties; seeds usually come in one order or the other, so this rarely sorts. */
const newestFirst = (a: Entry, b: Entry) => b.PublishTime - a.PublishTime || byText(a.EventId, b.EventId);

export function describeHistoryEvents(call: RpcCall, view: ReadView): Record<string, unknown> {
  const types = filterValues(call.params, 'EventTypes');
  if (!types || types.size === 0) throw ensErrors.missingParameter('EventTypes');
  const statuses = filterValues(call.params, 'EventStatus');
  const levels = filterValues(call.params, 'EventLevels');
  const resources = filterValues(call.params, 'ResourceIds');
  const page = readPage(call.params);

  const matching = inOrder(
    view
      .list(EVENTS)
      .filter((e) => ownedBy(e, call.accountId) && types.has(e.EventType) && (!statuses || statuses.has(e.EventStatus)) && (!levels || levels.has(e.EventLevel)) && (!resources || resources.has(e.ResourceId))),
    newestFirst,
  );

  return {
    PageNumber: page.number,
    PageSize: page.size,
    TotalCount: matching.length,
    Events: slicePage(matching, page).map(eventView),
  };
}
