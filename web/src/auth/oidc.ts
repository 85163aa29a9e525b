// How to sign in, as the server says at /auth/config: the development issuer, or an external
// OpenID Connect issuer (see oidcManager.ts, loaded only when one is configured).

export interface OidcConfig {
  mode: 'oidc';
  issuer: string;
  clientId: string;
  audience?: string;
  scope?: string;
}

export interface DevConfig {
  mode: 'dev';
}

export type AuthConfig = OidcConfig | DevConfig;

/** The server's sign-in settings; the development issuer when the server does not say. */
export async function fetchAuthConfig(fetchImpl: typeof fetch = fetch): Promise<AuthConfig> {
  try {
    const response = await fetchImpl('/auth/config', { headers: { Accept: 'application/json' } });
    if (!response.ok) return { mode: 'dev' };
    const body = (await response.json()) as Partial<OidcConfig> & { mode?: string };
    if (body.mode === 'oidc' && body.issuer && body.clientId) {
      return { mode: 'oidc', issuer: body.issuer, clientId: body.clientId, audience: body.audience, scope: body.scope };
    }
    return { mode: 'dev' };
  } catch {
    return { mode: 'dev' };
  }
}

/** True when this page load is the issuer redirecting back with a code. */
export function isSigninCallback(location: Pick<Location, 'search'> = window.location): boolean {
  const params = new URLSearchParams(location.search);
  return params.has('code') && params.has('state');
}
