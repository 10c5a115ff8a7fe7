/**
 * The REST bearer token the page sends. Kept in sessionStorage: it lasts while the tab is open and
 * survives a reload, but is not shared with other tabs nor kept once the tab closes.
 */
const KEY = 'tributary.restToken'

export function storedToken(): string | null {
  return sessionStorage.getItem(KEY)
}

export function storeToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(KEY)
  else sessionStorage.setItem(KEY, token)
}
