/** PageNumber / PageSize as ENS reads them (their bounds are in the request schemas: pages from 1, at most 100 a page). */
import { intParam } from '../params.js';
import { DEFAULT_PAGE_SIZE } from './constants.js';

export interface Page {
  number: number;
  size: number;
}

export function readPage(params: Record<string, string>): Page {
  return {
    number: intParam(params, 'PageNumber', 1)!,
    size: intParam(params, 'PageSize', DEFAULT_PAGE_SIZE)!,
  };
}

export function slicePage<T>(items: readonly T[], page: Page): T[] {
  const start = (page.number - 1) * page.size;
  return items.slice(start, start + page.size);
}
