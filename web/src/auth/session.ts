// Where the signed-in session lives. Per tab (sessionStorage), so two windows of one browser can be
// two different people, and a reload keeps you signed in.

const KEY = 'boardcast.session';

export interface Session {
  token: string;
  /** How the token was obtained: the development issuer, or an OpenID Connect provider. */
  source: 'dev' | 'oidc';
}

export function loadSession(storage: Storage = sessionStorage): Session | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (!session.token || isExpired(session.token)) {
      storage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null, storage: Storage = sessionStorage) {
  if (session) storage.setItem(KEY, JSON.stringify(session));
  else storage.removeItem(KEY);
}

/** The claims of a JWT, unverified (the server verifies; the client only reads `exp`). */
export function jwtClaims(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** True when the token's `exp` has passed (with a little slack for clock skew); false without `exp`. */
export function isExpired(token: string, nowMs = Date.now()): boolean {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === 'number' && exp * 1000 < nowMs - 5_000;
}

/** Handles the development issuer accepts: 3 to 30 letters, digits or underscores. */
export const HANDLE_PATTERN = /^[A-Za-z0-9_]{3,30}$/;
