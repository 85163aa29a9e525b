import { useState, type FormEvent } from 'react';
import { useAuth } from './AuthProvider';
import { HANDLE_PATTERN } from './session';

/** The sign-in screen: a handle form with the development issuer, a button with an external one. */
export function SignIn() {
  const auth = useAuth();
  const [handle, setHandle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const valid = HANDLE_PATTERN.test(handle);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!valid) {
      setError('A handle is 3 to 30 letters, digits or underscores.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await auth.signInWithHandle(handle);
    } catch (err) {
      setError(`Could not sign in: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <div className="signin-card">
        <h1>
          <img src="/favicon.svg" alt="" width={32} height={32} /> Boardcast
        </h1>
        <p className="muted">Task boards that everyone sees change live.</p>
        {auth.message && <p className="notice">{auth.message}</p>}
        {auth.config?.mode === 'oidc' ? (
          <button className="primary wide" onClick={() => void auth.signInWithIssuer()}>
            Sign in
          </button>
        ) : (
          <form onSubmit={submit} aria-label="Sign in">
            <label htmlFor="handle">Your handle</label>
            <input
              id="handle"
              name="handle"
              autoFocus
              autoComplete="username"
              placeholder="e.g. alice"
              value={handle}
              onChange={(e) => setHandle(e.target.value.trim())}
              aria-invalid={handle !== '' && !valid}
            />
            <button className="primary wide" type="submit" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
            <p className="muted small">
              Development sign-in: a new handle creates a new user. Open another window to be someone else.
            </p>
          </form>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </main>
  );
}
