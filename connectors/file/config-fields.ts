/**
 * Field parsers for the file connectors' flat string configs: values arrive as strings (from the REST
 * API or a flattened pipeline file), so numbers and booleans are coerced here, once.
 */
import { z } from 'zod'

export const boolField = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((value) => value === true || value === 'true')

export const intField = (min: number) => z.coerce.number().int().min(min)
