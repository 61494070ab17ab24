import { useRef, useState } from 'preact/hooks';
import { ParleyError, type User } from '@parley/sdk';
import { sizeOf } from './format.ts';
import { errorText, useStore } from './hooks.ts';
import type { ConvKey } from './keys.ts';
import { ReplyingTo } from './ReplyQuote.tsx';

/** Reads an image's pixel size so the message can reserve its space. */
function imageSize(file: File): Promise<{ width: number; height: number } | undefined> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      resolve({ width: img.naturalWidth, height: img.naturalHeight });
      URL.revokeObjectURL(url);
    };
    img.onerror = () => {
      resolve(undefined);
      URL.revokeObjectURL(url);
    };
    img.src = url;
  });
}

/** Why a send was refused, in the words of the person sending. */
function sendError(e: unknown): string {
  if (e instanceof ParleyError) {
    if (e.code === 'member_muted') return 'You are muted in this group for now.';
    if (e.code === 'group_muted') return 'Everyone is muted: only the owner and admins can send now.';
    if (e.code === 'not_group_member') return 'You are no longer a member of this group.';
  }
  return errorText(e);
}

/** Text box with @mention suggestions, Enter to send, and file attachments with a progress bar. */
export function Composer(props: { conv: ConvKey; members: User[]; disabled?: string }) {
  const s = useStore();
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [upload, setUpload] = useState<{ name: string; loaded: number; total: number } | undefined>();
  const [pick, setPick] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // The @word being typed at the caret, if any.
  const caret = input.current?.selectionStart ?? text.length;
  const typing = /(^|\s)@([\p{L}\p{N}_.+-]*)$/u.exec(text.slice(0, caret));
  const query = typing?.[2].toLowerCase();
  const suggestions = query === undefined ? [] : props.members.filter((u) => u.id !== s.me?.id && (u.handle.toLowerCase().startsWith(query) || u.displayName.toLowerCase().startsWith(query))).slice(0, 6);

  const complete = (u: User) => {
    const before = text.slice(0, caret).replace(/@([\p{L}\p{N}_.+-]*)$/u, `@${u.handle} `);
    setText(before + text.slice(caret));
    setPick(0);
    input.current?.focus();
  };

  const send = async () => {
    const body = text.trim();
    if (!body) return;
    const names = [...body.matchAll(/@([\p{L}\p{N}_.+-]+)/gu)].map((m) => m[1]);
    const mentions = [...new Set(props.members.filter((u) => names.includes(u.handle)).map((u) => u.id))];
    // "@all" in a group notifies everyone (unless someone is really called "all").
    const all = props.conv[0] === 'g' && names.includes('all') && !props.members.some((u) => u.handle === 'all');
    setError('');
    setText('');
    s.live.stopped(props.conv);
    try {
      await s.send(props.conv, 'text', { text: body, ...(mentions.length ? { mentions } : {}), ...(all ? { mentionAll: true } : {}) });
    } catch (e) {
      setText(body);
      setError(sendError(e));
    }
  };

  const attach = async (file: File) => {
    setError('');
    setUpload({ name: file.name, loaded: 0, total: file.size });
    try {
      const stored = await s.api.files.upload(file, (p) => setUpload({ name: file.name, loaded: p.loaded, total: p.total }));
      const url = s.api.files.contentUrl(stored.id);
      if (file.type.startsWith('image/')) {
        const dims = await imageSize(file);
        await s.send(props.conv, 'image', { url, name: file.name, size: file.size, ...(dims ?? {}) });
      } else {
        await s.send(props.conv, 'file', { url, name: file.name, size: file.size });
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setUpload(undefined);
    }
  };

  const onKey = (e: KeyboardEvent) => {
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setPick((pick + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        complete(suggestions[Math.min(pick, suggestions.length - 1)]);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  if (props.disabled) return <p class="composer-off" role="status">{props.disabled}</p>;
  return (
    <form class="composer" onSubmit={(e) => { e.preventDefault(); void send(); }}>
      {upload && (
        <div class="upload" role="status">
          <span>Uploading {upload.name} ({sizeOf(upload.loaded)} of {sizeOf(upload.total)})</span>
          <progress max={upload.total || 1} value={upload.loaded} aria-label={`Uploading ${upload.name}`} />
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      <ReplyingTo conv={props.conv} />
      {suggestions.length > 0 && (
        <ul class="mentions" role="listbox" aria-label="Mention a member">
          {suggestions.map((u, i) => (
            <li key={u.id} role="option" aria-selected={i === pick} class={i === pick ? 'picked' : ''} onMouseDown={(e) => { e.preventDefault(); complete(u); }}>
              <strong>{u.displayName}</strong> <span class="hint">@{u.handle}</span>
            </li>
          ))}
        </ul>
      )}
      <div class="composer-row">
        <button type="button" class="icon attach" aria-label="Attach a file or image" onClick={() => fileInput.current?.click()} disabled={!!upload}>
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="currentColor" d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z" /></svg>
        </button>
        <input ref={fileInput} type="file" class="visually-hidden" aria-label="File to send" tabIndex={-1} onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (f) void attach(f);
        }} />
        <textarea ref={input} rows={Math.min(5, text.split("\n").length)} aria-label="Message" placeholder="Write a message…" value={text} onInput={(e) => { setText(e.currentTarget.value); setPick(0); if (e.currentTarget.value) s.live.typed(props.conv); else s.live.stopped(props.conv); }} onKeyDown={onKey} maxLength={10000} />
        <button type="submit" class="primary send" disabled={!text.trim()}>Send</button>
      </div>
    </form>
  );
}
