/**
 * A small JSON Schema (2020-12) checker for the keywords the Sigma schemas of ../shared/specs/sigma
 * use: type, required, properties, additionalProperties, items, anyOf, oneOf, const, pattern,
 * minLength, maxLength, uniqueItems, format (uuid, checked). No JSON-schema library is a dependency
 * of the project; a keyword this checker does not know makes it throw, so it can never pass a
 * document by ignoring part of a schema.
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'examples', 'default']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validateSchema(schema: Schema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  for (const [k, s] of Object.entries(schema)) {
    if (ANNOTATIONS.has(k)) continue;
    switch (k) {
      case 'type': {
        const t = typeOf(value);
        const want = Array.isArray(s) ? s : [s];
        if (!want.some((w) => w === t || (w === 'number' && t === 'integer'))) errors.push(`${path}: ${t} is not ${want.join('|')}`);
        break;
      }
      case 'required':
        if (typeOf(value) === 'object') for (const r of s as string[]) if (!(r in (value as object))) errors.push(`${path}: '${r}' is required`);
        break;
      case 'properties':
        if (typeOf(value) === 'object') {
          for (const [p, ps] of Object.entries(s as Record<string, Schema>)) {
            if (p in (value as object)) errors.push(...validateSchema(ps, (value as Record<string, unknown>)[p], `${path}.${p}`));
          }
        }
        break;
      case 'additionalProperties':
        if (typeOf(value) === 'object') {
          const known = Object.keys((schema.properties ?? {}) as object);
          for (const [p, v] of Object.entries(value as Record<string, unknown>)) {
            if (known.includes(p)) continue;
            if (s === false) errors.push(`${path}: '${p}' is not allowed`);
            else if (typeof s === 'object') errors.push(...validateSchema(s as Schema, v, `${path}.${p}`));
          }
        }
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((v, i) => errors.push(...validateSchema(s as Schema, v, `${path}[${i}]`)));
        break;
      case 'anyOf':
        if (!(s as Schema[]).some((x) => validateSchema(x, value, path).length === 0)) errors.push(`${path}: matches none of anyOf`);
        break;
      case 'oneOf': {
        const n = (s as Schema[]).filter((x) => validateSchema(x, value, path).length === 0).length;
        if (n !== 1) errors.push(`${path}: matches ${n} of oneOf`);
        break;
      }
      case 'const':
        if (JSON.stringify(value) !== JSON.stringify(s)) errors.push(`${path}: not ${JSON.stringify(s)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(s as string, 'u').test(value)) errors.push(`${path}: '${value}' does not match ${String(s)}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && [...value].length < (s as number)) errors.push(`${path}: shorter than ${String(s)}`);
        break;
      case 'maxLength':
        if (typeof value === 'string' && [...value].length > (s as number)) errors.push(`${path}: longer than ${String(s)}`);
        break;
      case 'uniqueItems':
        if (s === true && Array.isArray(value) && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${path}: items are not unique`);
        break;
      case 'format':
        if (s === 'uuid' && typeof value === 'string' && !UUID.test(value)) errors.push(`${path}: '${value}' is not a UUID`);
        else if (s !== 'uuid') throw new Error(`json-schema check: format ${String(s)} is not known`);
        break;
      default:
        throw new Error(`json-schema check: keyword '${k}' at ${path} is not known`);
    }
  }
  return errors;
}
