// What the pane remembers between sessions (localStorage in Excel and in the browser page).
import type { MeResponse } from '../../contract/api';
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Settings {
  /** Empty means the pane's own origin (the dev server and CloudFront both serve /v1 there). */
  baseUrl: string;
  token: string;
  contactName: string;
  contactPhone: string;
  /** The campaign last chosen (a unit in several campaigns works in one at a time); '' = the server's default. */
  campaign: string;
}

const KEY = 'baosong.settings';
const EMPTY: Settings = { baseUrl: '', token: '', contactName: '', contactPhone: '', campaign: '' };

export function loadSettings(storage: KeyValueStorage): Settings {
  try {
    return { ...EMPTY, ...(JSON.parse(storage.getItem(KEY) ?? '{}') as Partial<Settings>) };
  } catch {
    return EMPTY;
  }
}

export function saveSettings(storage: KeyValueStorage, settings: Settings): void {
  storage.setItem(KEY, JSON.stringify(settings));
}

const ME_KEY = 'baosong.me';

/** The last `GET /v1/me` answer of a connection, so a pane opened without a network can still 校验. */
export function keepMe(storage: KeyValueStorage, baseUrl: string, token: string, me: MeResponse): void {
  try {
    storage.setItem(ME_KEY, JSON.stringify({ baseUrl, token: tokenId(token), me }));
  } catch {
    // A full storage only costs working offline.
  }
}

export function keptMe(storage: KeyValueStorage, baseUrl: string, token: string): MeResponse | null {
  try {
    const kept = JSON.parse(storage.getItem(ME_KEY) ?? 'null') as { baseUrl: string; token: string; me: MeResponse };
    return kept && kept.baseUrl === baseUrl && kept.token === tokenId(token) && kept.me?.unit ? kept.me : null;
  } catch {
    return null;
  }
}

/** Which token the kept answer belongs to, without keeping the token a second time. */
function tokenId(token: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}
