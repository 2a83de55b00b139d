/**
 * The RPC protocol's XML answers (`Format=XML`): a success body under `<{Action}Response>`, an error
 * under `<Error>`, as the RPC common-parameter pages show them. An object is an element per field; an
 * array is one element per item, each named for the field (how the XML examples list repeated values).
 */
const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/** Characters XML 1.0 cannot carry at all (NUL, most C0 controls, lone surrogates) become U+FFFD. */
const NOT_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A field name as an element name: anything a name cannot hold becomes `_` (field names are the API's own, so this is rare). */
function name(key: string): string {
  const cleaned = key.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function element(key: string, value: unknown, out: string[]): void {
  if (value === undefined || value === null) return;
  const tag = name(key);
  if (Array.isArray(value)) {
    for (const item of value) element(key, item, out);
    return;
  }
  if (typeof value === 'object') {
    out.push(`<${tag}>`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) element(k, v, out);
    out.push(`</${tag}>`);
    return;
  }
  out.push(`<${tag}>${text(String(value))}</${tag}>`);
}

/** The document for `body` under the root element `root`. */
export function toXml(root: string, body: Record<string, unknown>): string {
  const out: string[] = [HEAD];
  element(root, body, out);
  return out.join('');
}
