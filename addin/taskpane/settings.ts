// What the pane remembers between sessions (localStorage in Excel and in the browser page).
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
}

const KEY = 'baosong.settings';
const EMPTY: Settings = { baseUrl: '', token: '', contactName: '', contactPhone: '' };

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
