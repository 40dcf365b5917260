// The campaign the pane works in, as the server published it (GET /v1/campaigns/{id}): its calendar and its forms,
// compiled by forms/spec. Nothing about a form is built into the pane, so a newly published form shows up in every
// button without a new release. The last copy is kept in the pane's storage, so 校验 still works when the server
// cannot be reached.
import type { CampaignDocument } from '../forms/campaign/schema';
import { campaignForms, type FormCatalog, type FormDefinition } from '../forms/spec';
import type { CampaignResponse, CampaignSummary, MeResponse } from '../contract/api';
import { ApiError, type ApiClient } from './api/client';
import type { KeyValueStorage } from './taskpane/settings';

export interface PaneCampaign {
  summary: CampaignSummary;
  document: CampaignDocument;
  forms: FormCatalog;
  /** The round whose form versions these are; null: the current versions. */
  round: string | null;
  /** Read from the pane's own copy because the server could not be reached. */
  offline: boolean;
}

const keptKey = (id: string): string => `baosong.campaign.${id}`;

interface Kept {
  round: string | null;
  response: CampaignResponse;
}

function readKept(storage: KeyValueStorage, id: string): Kept | null {
  try {
    const kept = JSON.parse(storage.getItem(keptKey(id)) ?? 'null') as Kept | null;
    return kept?.response?.document?.forms ? kept : null;
  } catch {
    return null;
  }
}

const paneCampaign = (response: CampaignResponse, round: string | null, offline: boolean): PaneCampaign => ({
  summary: response.campaign,
  document: response.document,
  forms: campaignForms(response.document),
  round,
  offline,
});

/**
 * The campaign with its forms at the versions that apply to `round` (the ones a submission for it is checked
 * against). Without a connection: the copy kept last time, whatever round it was for.
 */
export async function loadCampaign(
  api: ApiClient,
  storage: KeyValueStorage,
  id: string,
  round: string | null,
): Promise<PaneCampaign> {
  try {
    const response = await api.campaign(id, round ?? undefined);
    try {
      storage.setItem(keptKey(id), JSON.stringify({ round, response } satisfies Kept));
    } catch {
      // A full storage only costs the offline copy.
    }
    return paneCampaign(response, round, false);
  } catch (err) {
    const kept = err instanceof ApiError && err.status === 0 ? readKept(storage, id) : null;
    if (!kept) throw err;
    return paneCampaign(kept.response, kept.round, true);
  }
}

/**
 * The campaign the pane works in: the one the user chose last time when the unit still takes part in it, else the
 * one the server means when a request names none.
 */
export function chosenCampaign(me: MeResponse, remembered: string | undefined): string {
  return me.campaigns.some((c) => c.id === remembered) ? remembered! : me.campaign.id;
}

/** The form with this id (ids come from the server or from the campaign's own forms). */
export function formOf(forms: FormCatalog, id: string): FormDefinition {
  const form = forms.get(id);
  if (!form) throw new Error(`本专项行动没有表格“${id}”。请点「重新查找」或重新连接后再试。`);
  return form;
}

/** `附件1`, or the id of a form the campaign no longer lists. */
export const formName = (forms: FormCatalog, id: string): string => forms.get(id)?.tag ?? id;

/** `附件1或附件2`, `附件1、附件2或附件3`. */
export function orList(items: readonly string[], word = '或'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join('、')}${word}${items[items.length - 1]}`;
}
