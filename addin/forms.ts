// The forms the pane and the browser page check, render and consolidate. Until the pane takes them from the server
// (GET /v1/campaigns), they are the 2019 黄南州 campaign's 附件1 and 附件2.
import { HUANGNAN_2019_FORMS } from '../forms/campaign/seed';
import type { FormCatalog, FormDefinition } from '../forms/spec';

export const FORMS: FormCatalog = HUANGNAN_2019_FORMS;

/** The form with this id (ids come from the server or from the pane's own buttons). */
export function formOf(id: string): FormDefinition {
  const form = FORMS.get(id);
  if (!form) throw new Error(`unknown form ${id}`);
  return form;
}
