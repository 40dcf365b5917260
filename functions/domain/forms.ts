// The forms the functions check, store and consolidate: compiled from the campaign document. Until campaigns are
// published to the store, that is the 2019 黄南州 campaign's 附件1 and 附件2.
import { HUANGNAN_2019_FORMS } from '../../forms/campaign/seed';
import type { FormCatalog, FormDefinition } from '../../forms/spec';

export const FORMS: FormCatalog = HUANGNAN_2019_FORMS;

/** `fujian1(附件1)或 fujian2(附件2)`: how a message lists the valid form ids. */
export const formChoices = (forms: FormCatalog = FORMS): string =>
  forms.forms.map((f) => `${f.id}(${f.tag})`).join('或 ');

/** The form with this id; undefined for an id the campaign does not have. */
export function findForm(id: unknown, forms: FormCatalog = FORMS): FormDefinition | undefined {
  return typeof id === 'string' ? forms.get(id) : undefined;
}

/** The form with this id, for ids already checked (stored submissions, validated requests). */
export function formOf(id: string, forms: FormCatalog = FORMS): FormDefinition {
  const form = forms.get(id);
  if (!form) throw new Error(`unknown form ${id}`);
  return form;
}
