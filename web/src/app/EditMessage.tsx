import { useEffect, useRef, useState } from 'preact/hooks';
import { ParleyError, type Message } from '@parley/sdk';
import { errorText, useStore } from './hooks.ts';
import { keyOfMessage } from './keys.ts';

/** How long after sending the sender may edit (the server's default PARLEY_EDIT_WINDOW); the server has the last word. */
export const EDIT_WINDOW_MS = 24 * 3600_000;

/** Reply to any message; edit your own text within the window. Shown beside the bubble on hover or focus. */
export function MessageTools(props: { m: Message }) {
  const s = useStore();
  const { m } = props;
  const me = s.me?.id;
  const key = me === undefined ? undefined : keyOfMessage(m, me);
  if (!key || m.type === 'revoked' || m.type === 'notice' || s.editing === m.id) return null;
  const canEdit = m.senderId === me && m.type === 'text' && Date.now() - m.createdAt < EDIT_WINDOW_MS;
  return (
    <div class="msg-tools">
      <button type="button" class="link" aria-label="Reply to this message" onClick={() => s.replyTo(key, m)}>Reply</button>
      {canEdit && <button type="button" class="link" aria-label="Edit this message" onClick={() => s.setEditing(m.id)}>Edit</button>}
    </div>
  );
}

/** "edited", with when, for a message whose text was changed. */
export function EditedMark(props: { m: Message }) {
  const at = props.m.editedAt;
  if (!at) return null;
  return <span class="edited" title={`Edited ${new Date(at).toLocaleString()}`}>edited</span>;
}

/** Why an edit was refused, in the words of its author. */
function editError(e: unknown): string {
  if (e instanceof ParleyError && e.code === 'edit_window_passed') return 'This message can no longer be edited.';
  return errorText(e);
}

/** The text of one's own message, edited in place: Enter saves, Escape cancels. */
export function EditMessage(props: { m: Message }) {
  const s = useStore();
  const [text, setText] = useState(String(props.m.body.text ?? ''));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    box.current?.focus();
    box.current?.select();
  }, []);

  const save = async () => {
    const body = text.trim();
    if (!body || busy) return;
    // Mentions are the @handles of people this client knows, as the composer sends them.
    const names = new Set([...body.matchAll(/@([\p{L}\p{N}_.+-]+)/gu)].map((x) => x[1]));
    const mentions = [...s.users.values()].filter((u) => names.has(u.handle) && u.id !== s.me?.id).map((u) => u.id);
    const all = props.m.kind === 'group' && names.has('all') && ![...s.users.values()].some((u) => u.handle === 'all');
    setBusy(true);
    setError('');
    try {
      await s.edit(props.m, { text: body, ...(mentions.length ? { mentions } : {}), ...(all ? { mentionAll: true } : {}) });
    } catch (e) {
      setError(editError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="edit-message" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <textarea ref={box} aria-label="Edit message" rows={Math.min(5, text.split('\n').length)} value={text} maxLength={10000} onInput={(e) => setText(e.currentTarget.value)} onKeyDown={(e) => {
        if (e.key === 'Escape') s.setEditing(undefined);
        else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          void save();
        }
      }} />
      {error && <p class="error" role="alert">{error}</p>}
      <div class="edit-actions">
        <button type="button" class="ghost" onClick={() => s.setEditing(undefined)}>Cancel</button>
        <button type="submit" class="primary" disabled={busy || !text.trim()}>Save</button>
      </div>
    </form>
  );
}
