import { useState } from 'preact/hooks';
import { errorText } from './hooks.ts';
import { store } from './store.ts';

/** Sign in or create an account: the only screen without a session. */
export function Auth() {
  const [mode, setMode] = useState<'in' | 'up'>('in');
  const [handle, setHandle] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      if (mode === 'up') await store.signUp(handle.trim(), password, displayName.trim());
      else await store.logIn(handle.trim(), password);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth">
      <form class="auth-card" onSubmit={submit} aria-labelledby="auth-title">
        <div class="brand" aria-hidden="true">
          <span class="logo">P</span> Parley
        </div>
        <h1 id="auth-title">{mode === 'in' ? 'Sign in' : 'Create your account'}</h1>
        <label>
          Username
          <input name="username" autoComplete="username" required maxLength={64} pattern="[\p{L}\p{N}_.@+\-]+" value={handle} onInput={(e) => setHandle(e.currentTarget.value)} autoFocus />
        </label>
        {mode === 'up' && (
          <label>
            Display name <span class="hint">(optional)</span>
            <input name="displayName" autoComplete="name" maxLength={128} value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
          </label>
        )}
        <label>
          Password
          <input name="password" type="password" autoComplete={mode === 'up' ? 'new-password' : 'current-password'} required minLength={mode === 'up' ? 8 : 1} maxLength={256} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {mode === 'up' && <p class="hint">At least 8 characters.</p>}
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{mode === 'in' ? 'Sign in' : 'Sign up'}</button>
        <p class="switch">
          {mode === 'in' ? 'New here?' : 'Already have an account?'}{' '}
          <button type="button" class="link" onClick={() => { setMode(mode === 'in' ? 'up' : 'in'); setError(''); }}>
            {mode === 'in' ? 'Create an account' : 'Sign in'}
          </button>
        </p>
      </form>
    </main>
  );
}
