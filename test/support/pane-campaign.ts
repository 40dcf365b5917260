// The campaign as the pane loads it from the server (GET /v1/campaigns/{id}), for tests that drive the pane's flows
// against a real stack; kept in a throwaway storage.
import type { ApiClient } from '../../addin/api/client';
import { loadCampaign, type PaneCampaign } from '../../addin/campaign';

export async function campaignFor(client: ApiClient, round: string): Promise<PaneCampaign> {
  const kept = new Map<string, string>();
  const storage = {
    getItem: (k: string) => kept.get(k) ?? null,
    setItem: (k: string, v: string) => void kept.set(k, v),
    removeItem: (k: string) => void kept.delete(k),
  };
  return loadCampaign(client, storage, (await client.me()).campaign.id, round);
}
