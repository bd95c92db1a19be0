/**
 * The API token: `trailwarden serve` prints a URL ending in `#token=…`. The fragment never
 * reaches the server; the dashboard moves it into sessionStorage (gone when the tab closes) and
 * takes it out of the address bar and history.
 */
const STORAGE_KEY = 'trailwarden.token';

export function tokenFromFragment(hash: string): string | undefined {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token')?.trim();
  return token ? token : undefined;
}

/** The token from the fragment (remembered, then removed from the URL), else the remembered one. */
export function takeToken(): string | undefined {
  const fromFragment = tokenFromFragment(window.location.hash);
  if (fromFragment) {
    rememberToken(fromFragment);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromFragment;
  }
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberToken(token: string): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage disabled: the token lasts as long as the page.
  }
}

export function forgetToken(): void {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing remembered
  }
}
