/** PageNumber / PageSize as ENS reads them: whole numbers, pages from 1, at most 100 a page. */
import { intParam } from '../params.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './constants.js';
import { ensErrors } from './errors.js';

const invalid = (name: string) => ensErrors.invalidParameter(name);

export interface Page {
  number: number;
  size: number;
}

export function readPage(params: Record<string, string>): Page {
  return {
    number: intParam(params, 'PageNumber', { min: 1, fallback: 1 }, invalid)!,
    size: intParam(params, 'PageSize', { min: 1, max: MAX_PAGE_SIZE, fallback: DEFAULT_PAGE_SIZE }, invalid)!,
  };
}

export function slicePage<T>(items: readonly T[], page: Page): T[] {
  const start = (page.number - 1) * page.size;
  return items.slice(start, start + page.size);
}
