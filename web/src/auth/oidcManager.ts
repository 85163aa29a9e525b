// Sign-in with an external OpenID Connect issuer: authorization code + PKCE via oidc-client-ts,
// configured from the server's /auth/config. The access token is what the API accepts. Loaded on
// demand, so the development setup does not download it.

import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { OidcConfig } from './oidc';

export function createUserManager(config: OidcConfig): UserManager {
  const redirect = `${window.location.origin}/`;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    scope: config.scope ?? 'openid profile email',
    // Many issuers (Auth0, for one) only mint an API access token for a named audience.
    extraQueryParams: config.audience ? { audience: config.audience } : undefined,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
  });
}
