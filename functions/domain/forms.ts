// The forms the functions check, store and consolidate: compiled from the published campaign document, never a
// fixed list. A request's form id is checked here against the campaign it is about (contract/ only checks that
// it looks like an id), so a newly published form is accepted everywhere without a code change.
import type { FormSpec } from '../../forms/campaign/schema';
import { campaignForms, compileForm, type FormCatalog, type FormDefinition } from '../../forms/spec';
import { Invalid, NotFound } from '../errors';
import type { CampaignRecord } from '../store/types';

/** The campaign's forms at their current versions, in the document's order. */
export const formsOf = (c: CampaignRecord): FormCatalog => campaignForms(c.document);

/** `fujian1(附件1)或 fujian2(附件2)`: how a message lists a campaign's forms. */
export const formChoices = (forms: FormCatalog): string => forms.forms.map((f) => `${f.id}(${f.tag})`).join('或 ');

/** `附件1`, or the id of a form the campaign no longer lists (a stored submission's). */
export const formName = (forms: FormCatalog, id: string): string => forms.get(id)?.tag ?? id;

const compiled = new WeakMap<FormSpec, FormDefinition>();

/** A stored form version's spec, compiled once per spec object. */
export function definitionOf(spec: FormSpec): FormDefinition {
  let form = compiled.get(spec);
  if (!form) {
    form = compileForm(spec);
    compiled.set(spec, form);
  }
  return form;
}

/**
 * The campaign's form a request names. One it does not have is a 422 naming the field and listing the campaign's
 * forms; `in: 'path'` makes it a 404, like any path that names nothing.
 */
export function campaignForm(c: CampaignRecord, id: string, where: { in: 'body' | 'path' } = { in: 'body' }) {
  const forms = formsOf(c);
  const form = forms.get(id);
  if (form) return form;
  const message = `表格类型“${id}”无效,专项行动“${c.document.name}”的表格应为 ${formChoices(forms)}。`;
  if (where.in === 'path') throw new NotFound(message);
  throw new Invalid(message, {
    issues: [{ code: 'field.form', severity: 'error', key: 'form', message: `表格应为 ${formChoices(forms)}` }],
  });
}

/** The campaign's ledger whose status column the statistics and the callback sample follow (附件1 是否办结). */
export function statusLedger(c: CampaignRecord): FormDefinition | undefined {
  const forms = formsOf(c);
  const sampled = c.document.sampling?.callback?.form;
  const isStatusLedger = (f: FormDefinition | undefined) => f !== undefined && f.kind === 'ledger' && !!f.status;
  const preferred = sampled === undefined ? undefined : forms.get(sampled);
  return isStatusLedger(preferred) ? preferred : forms.forms.find(isStatusLedger);
}
