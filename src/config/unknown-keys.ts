// Finds keys the schema does not know, so they can be warned about once instead of silently ignored.
import type { z } from 'zod';
import { OPEN_OBJECT_PATHS } from './schema.js';

interface ZodDefLike {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}

function defOf(schema: z.ZodType): ZodDefLike {
  return (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); def.innerType !== undefined; def = defOf(current)) current = def.innerType;
  return current;
}

/** Walks `value` alongside `schema`; returns the dotted paths of keys the schema's objects do not declare. */
export function findUnknownKeys(schema: z.ZodType, value: unknown, path = '', shapePath = ''): string[] {
  const def = defOf(unwrap(schema));
  if (def.type === 'array' && def.element !== undefined && Array.isArray(value)) {
    return value.flatMap((item, index) => findUnknownKeys(def.element!, item, `${path}[${index}]`, `${shapePath}[]`));
  }
  if (def.type !== 'object' || def.shape === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  if (OPEN_OBJECT_PATHS.has(shapePath)) return [];
  const found: string[] = [];
  for (const key of Object.keys(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    const childShapePath = shapePath === '' ? key : `${shapePath}.${key}`;
    const child = def.shape[key];
    if (child === undefined) found.push(childPath);
    else found.push(...findUnknownKeys(child, (value as Record<string, unknown>)[key], childPath, childShapePath));
  }
  return found;
}
