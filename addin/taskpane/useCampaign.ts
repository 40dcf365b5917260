// The campaign a panel works in, loaded for the round it shows: the forms at the versions a submission for that
// round is checked against (addin/campaign.ts). Actions await `load()`, so a click right after connecting waits
// for the forms instead of being lost.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MeResponse } from '../../contract/api';
import type { ApiClient } from '../api/client';
import { loadCampaign, type PaneCampaign } from '../campaign';
import type { KeyValueStorage } from './settings';
import { toFailure } from './task';

/** What the round pickers need before the document has arrived: the chosen campaign's calendar from /v1/me. */
export interface CampaignCalendar {
  id: string;
  name: string;
  rounds: string[];
  nextDue: string | null;
}

export function campaignCalendar(me: MeResponse, id: string): CampaignCalendar {
  const listed = me.campaigns.find((c) => c.id === id);
  if (listed) return { id, name: listed.name, rounds: listed.rounds, nextDue: listed.nextDue };
  return { id: me.campaign.id, name: me.campaign.name, rounds: me.campaign.rounds, nextDue: me.nextDue };
}

export interface CampaignState {
  /** The loaded campaign, or null while it loads (or when it could not be loaded: see `error`). */
  campaign: PaneCampaign | null;
  error: string | null;
  /** The campaign for the current round, loading it if needed. */
  load(): Promise<PaneCampaign>;
}

export function useCampaign(api: ApiClient, storage: KeyValueStorage, id: string, round: string | null): CampaignState {
  const key = `${id}@${round ?? ''}`;
  // One load per campaign and round for this connection (a new `api`); a failed one is tried again next time.
  const loads = useMemo(() => new Map<string, Promise<PaneCampaign>>(), [api]);
  const [state, setState] = useState<{ key: string; campaign?: PaneCampaign; error?: string } | null>(null);
  const load = useCallback(() => {
    let loading = loads.get(key);
    if (!loading) {
      loading = loadCampaign(api, storage, id, round);
      loads.set(key, loading);
      loading.catch(() => loads.delete(key));
    }
    return loading;
  }, [api, storage, id, round, key, loads]);
  useEffect(() => {
    let live = true;
    load().then(
      (campaign) => live && setState({ key, campaign }),
      (err) => live && setState({ key, error: toFailure(err).message }),
    );
    return () => void (live = false);
  }, [load, key]);
  const current = state?.key === key ? state : null;
  return { campaign: current?.campaign ?? null, error: current?.error ?? null, load };
}
