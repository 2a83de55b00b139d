/**
 * A body against an SDK response model table, both ways: every field the model declares is there
 * (in every object the body has, recursively), with the model's JSON type, and nothing the model does
 * not know. Two models are alternatives rather than records (a Kubernetes container state is one of
 * Running, Terminated, Waiting): there at most one field is present.
 */
import { TABLES, type FieldType } from './index.js';

const ONE_OF = new Set(['DescribeContainerGroupStatusResponseBodyDataPodStatusContainerStatusesState', 'DescribeContainerGroupStatusResponseBodyDataPodStatusContainerStatusesLastState']);

export function conformance(product: 'eci' | 'ens', model: string, body: unknown, path = '$'): string[] {
  const table = TABLES[product][model];
  if (!table) return [`${path}: no model ${model}`];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [`${path}: expected an object (${model})`];
  const problems: string[] = [];
  const present = Object.keys(body);
  for (const wire of present) if (!Object.hasOwn(table, wire)) problems.push(`${path}.${wire}: not in ${model}`);
  if (ONE_OF.has(model)) {
    if (present.length > 1) problems.push(`${path}: more than one of ${Object.keys(table).join(', ')}`);
  } else {
    for (const wire of Object.keys(table)) if (!Object.hasOwn(body, wire)) problems.push(`${path}.${wire}: missing (${model})`);
  }
  for (const wire of present) {
    if (Object.hasOwn(table, wire)) problems.push(...valueProblems(product, table[wire]!, (body as Record<string, unknown>)[wire], `${path}.${wire}`));
  }
  return problems;
}

function valueProblems(product: 'eci' | 'ens', type: FieldType, value: unknown, path: string): string[] {
  if (value === null) return [`${path}: null`];
  if (typeof type === 'object') {
    if (!Array.isArray(value)) return [`${path}: expected an array`];
    return value.flatMap((item, i) => valueProblems(product, type.array, item, `${path}[${i}]`));
  }
  if (type === 'any') return [];
  if (type === 'map') return typeof value === 'object' && !Array.isArray(value) ? [] : [`${path}: expected a map`];
  if (type === 'string' || type === 'number' || type === 'boolean') return typeof value === type ? [] : [`${path}: expected ${type}, got ${Array.isArray(value) ? 'array' : typeof value}`];
  return conformance(product, type, value, path);
}
