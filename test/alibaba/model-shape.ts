/**
 * Checks a response body against an SDK response model's own names()/types() tables, strictly:
 * every field the model knows has exactly the JSON type the model declares (an array field an
 * array, an object field an object, a number a number...), recursively, and the body has no field
 * the model does not know. Stricter than the SDK's cast, which throws only on arrays and objects.
 */
type ModelClass = { names(): Record<string, string>; types(): Record<string, any> };

export function modelProblems(Model: ModelClass, body: unknown, path = '$'): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [`${path}: expected an object`];
  const problems: string[] = [];
  const names = Model.names();
  const types = Model.types();
  const wireToField = new Map(Object.entries(names).map(([field, wire]) => [wire, field]));
  for (const [wire, value] of Object.entries(body as Record<string, unknown>)) {
    const field = wireToField.get(wire);
    if (field === undefined) {
      problems.push(`${path}.${wire}: not in ${(Model as any).name}`);
      continue;
    }
    problems.push(...valueProblems(types[field], value, `${path}.${wire}`));
  }
  return problems;
}

function valueProblems(type: any, value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof type === 'string') {
    if (type === 'any') return [];
    const actual = typeof value;
    return actual === type ? [] : [`${path}: expected ${type}, got ${Array.isArray(value) ? 'array' : actual}`];
  }
  if (type && type.type === 'array') {
    if (!Array.isArray(value)) return [`${path}: expected an array`];
    return value.flatMap((item, i) => valueProblems(type.itemType, item, `${path}[${i}]`));
  }
  if (type && type.type === 'map') return typeof value === 'object' ? [] : [`${path}: expected a map`];
  if (typeof type === 'function') return modelProblems(type, value, path);
  return [`${path}: unknown model type`];
}
