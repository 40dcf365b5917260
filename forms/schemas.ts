// The zod shape of one stored row of a form, derived from its spec: what validateRows' output satisfies when it
// has no error. The hand-written rules (rules.ts) are what explain a mistake in Chinese with its cell; this is the
// plain statement of the result, and the bench's baseline.
// zod/mini, like the rest of the project: forms/ goes into the functions' bundles and the pane.
import * as z from 'zod/mini';
import type { ColumnDefinition, FormDefinition } from './spec';

function cellSchema(c: ColumnDefinition): z.ZodMiniType {
  const optional = c.required !== 'always' && !c.blankAsZero;
  switch (c.type) {
    case 'text':
      return c.required === 'always' ? z.string().check(z.trim(), z.minLength(1)) : z.string();
    case 'choice':
      return c.required === 'always'
        ? z.enum(c.choices as [string, ...string[]])
        : z.union([z.enum(c.choices as [string, ...string[]]), z.literal('')]);
    case 'serial':
      return z.int().check(z.positive());
    case 'integer': {
      const n = z.int().check(z.nonnegative());
      return optional ? z.nullable(n) : n;
    }
    case 'decimal': {
      const scale = 10 ** (c.decimals ?? 0);
      const n = z.number().check(
        z.nonnegative(),
        z.refine((v) => Math.abs(v * scale - Math.round(v * scale)) < 1e-6, {
          message: `「${c.title}」最多保留 ${c.decimals} 位小数`,
        }),
      );
      return optional ? z.nullable(n) : n;
    }
  }
}

const schemas = new WeakMap<FormDefinition, z.ZodMiniType>();

/** The zod schema of one normalised row of the form (its row rules included). */
export function rowSchema(form: FormDefinition): z.ZodMiniType {
  const cached = schemas.get(form);
  if (cached) return cached;
  const schema = z.object(Object.fromEntries(form.columns.map((c) => [c.key, cellSchema(c)]))).check(
    ...form.rules.map((rule) =>
      z.refine<Record<string, unknown>>(
        (row) => {
          const r = row as Record<string, number>;
          const sum = rule.terms.reduce((s, c) => s + r[c.key], 0);
          return rule.kind === 'sumEquals' ? sum === r[rule.total.key] : sum <= r[rule.total.key];
        },
        { message: rule.code, path: [rule.total.key] },
      ),
    ),
  );
  schemas.set(form, schema);
  return schema;
}
