// The shape of one stored row of each form (DESIGN §2 keys), for both sides of the API. validateRows is
// what turns a clerk's row into this shape and explains what is wrong; these schemas state the result.
import { z } from 'zod';
import { CLOSURE_VALUES, type FormId } from './types';

const count = z.number().int().nonnegative();
const text = z.string().trim().min(1);

export const fujian1RowSchema = z.object({
  seq: z.number().int().positive(),
  prefecture: text,
  address: text,
  complaint: text,
  currentState: text,
  measures: text,
  progress: z.string(),
  closure: z.enum(CLOSURE_VALUES),
});

export const fujian2RowSchema = z
  .object({
    unit: text,
    verified: count,
    unfounded: count,
    assigned: count,
    closed: count,
    phaseClosed: count,
    orderedToRectify: count,
    penalized: count,
    fineWan: z
      .number()
      .nonnegative()
      .refine((n) => Math.abs(n * 1e4 - Math.round(n * 1e4)) < 1e-6, { message: '罚款金额最多保留 4 位小数' }),
    investigated: count,
    detainedAdmin: count,
    detainedCriminal: count,
    interviewed: count,
    heldAccountable: count,
  })
  .refine((r) => r.verified + r.unfounded === r.assigned, { message: '属实 + 不属实 应等于 合计', path: ['assigned'] })
  .refine((r) => r.closed + r.phaseClosed <= r.assigned, {
    message: '已办结 + 阶段办结 不能大于 合计',
    path: ['closed'],
  });

const SCHEMAS = { fujian1: fujian1RowSchema, fujian2: fujian2RowSchema } as const;

/** The zod schema of one normalised row of the form. */
export function rowSchema<F extends FormId>(form: F): (typeof SCHEMAS)[F] {
  return SCHEMAS[form];
}
