// The campaign a store serves: seeded into the store, read once per context.
import { campaignRounds, HUANGNAN_2019 } from '../../forms/calendar';
import type { CampaignInfo } from '../../contract/api';
import type { Context } from '../context';
import type { CampaignRecord } from '../store/types';

export async function loadCampaign(ctx: Context): Promise<CampaignRecord> {
  ctx.campaign ??= (await ctx.store.getCampaign()) ?? HUANGNAN_2019;
  return ctx.campaign;
}

export const campaignInfo = (c: CampaignRecord): CampaignInfo => ({
  ...c,
  dueDays: [...c.dueDays],
  rounds: campaignRounds(c),
});
