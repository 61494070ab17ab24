import { useEffect } from 'preact/hooks';
import { Auth } from './Auth.tsx';
import { ConversationView } from './ConversationView.tsx';
import { useHashRoute, useStore } from './hooks.ts';
import { parseKey } from './keys.ts';
import { Sidebar } from './Sidebar.tsx';

export function App() {
  const s = useStore();
  const route = useHashRoute();
  const active = parseKey(route);
  useEffect(() => {
    if (s.session) s.open(active);
  }, [active, !!s.session]);
  useEffect(() => {
    if (!s.notice) return;
    const t = setTimeout(() => s.dismissNotice(), 6000);
    return () => clearTimeout(t);
  }, [s.notice]);
  useEffect(() => {
    const title = [...s.conversations.values()].reduce((n, c) => n + c.unread, 0);
    document.title = title > 0 ? `(${title}) Parley` : 'Parley';
  });

  if (!s.session) return <Auth />;
  return (
    <div class={`shell${active ? ' has-active' : ''}`}>
      <Sidebar />
      <main class="main">
        {active ? <ConversationView key={active} conv={active} /> : (
          <div class="placeholder">
            <h1>Welcome, {s.me?.displayName}</h1>
            <p>Pick a conversation, start a chat with someone by username, or create a group.</p>
          </div>
        )}
      </main>
      {s.notice && (
        <div class="toast" role="status">
          {s.notice}
          <button type="button" class="icon" aria-label="Dismiss" onClick={() => s.dismissNotice()}>×</button>
        </div>
      )}
    </div>
  );
}
