import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { UserManager } from 'oidc-client-ts';
import { fetchAuthConfig, isSigninCallback, type AuthConfig } from './oidc';
import { loadSession, saveSession, type Session } from './session';

interface AuthState {
  config: AuthConfig | null;
  session: Session | null;
  /** Set while the app is finding out how to sign in, or finishing an OIDC redirect. */
  loading: boolean;
  /** Why the last sign-in failed, or why the session ended. */
  message: string | null;
  /** The current token, read by the API client on every request. */
  getToken: () => string | null;
  signInWithHandle: (handle: string) => Promise<void>;
  signInWithIssuer: () => Promise<void>;
  signOut: (message?: string) => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [loading, setLoading] = useState(true);
  const [message, setMessage] = useState<string | null>(null);
  const tokenRef = useRef<string | null>(session?.token ?? null);
  const managerRef = useRef<UserManager | null>(null);

  const adopt = useCallback((next: Session | null) => {
    tokenRef.current = next?.token ?? null;
    saveSession(next);
    setSession(next);
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const cfg = await fetchAuthConfig();
      if (cancelled) return;
      setConfig(cfg);
      if (cfg.mode === 'oidc') {
        const { createUserManager } = await import('./oidcManager');
        if (cancelled) return;
        const manager = createUserManager(cfg);
        managerRef.current = manager;
        manager.events.addUserLoaded((user) => adopt({ token: user.access_token, source: 'oidc' }));
        manager.events.addAccessTokenExpired(() => {
          adopt(null);
          setMessage('Your session has ended. Please sign in again.');
        });
        try {
          if (isSigninCallback()) {
            const user = await manager.signinRedirectCallback();
            const back = typeof user.state === 'string' ? user.state : '';
            window.history.replaceState(null, '', `${window.location.pathname}${back}`);
            adopt({ token: user.access_token, source: 'oidc' });
          } else {
            const user = await manager.getUser();
            if (user && !user.expired) adopt({ token: user.access_token, source: 'oidc' });
          }
        } catch (e) {
          setMessage(`Sign-in failed: ${e instanceof Error ? e.message : String(e)}`);
          window.history.replaceState(null, '', window.location.pathname);
        }
      } else if (loadSession()?.source === 'oidc') {
        adopt(null);
      }
      if (!cancelled) setLoading(false);
    })();
    return () => {
      cancelled = true;
    };
  }, [adopt]);

  const signInWithHandle = useCallback(
    async (handle: string) => {
      setMessage(null);
      const response = await fetch('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ handle }),
      });
      if (!response.ok) {
        let reason = `the server said ${response.status}`;
        try {
          const body = (await response.json()) as { message?: string; error?: string; detail?: string };
          reason = body.message ?? body.detail ?? body.error ?? reason;
        } catch {
          // not JSON: keep the status
        }
        throw new Error(reason);
      }
      const { token } = (await response.json()) as { token: string };
      adopt({ token, source: 'dev' });
    },
    [adopt],
  );

  const signInWithIssuer = useCallback(async () => {
    setMessage(null);
    // Come back to the same board after the round trip through the issuer.
    await managerRef.current?.signinRedirect({ state: window.location.hash });
  }, []);

  const signOut = useCallback(
    (why?: string) => {
      const manager = managerRef.current;
      adopt(null);
      setMessage(why ?? null);
      if (manager) void manager.removeUser();
    },
    [adopt],
  );

  const value = useMemo<AuthState>(
    () => ({
      config,
      session,
      loading,
      message,
      getToken: () => tokenRef.current,
      signInWithHandle,
      signInWithIssuer,
      signOut,
    }),
    [config, session, loading, message, signInWithHandle, signInWithIssuer, signOut],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
