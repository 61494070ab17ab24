import { useEffect, useState } from 'preact/hooks';
import { sizeOf } from './format.ts';
import { store } from './store.ts';

// Files stored on this Parley are private to its users: an <img> cannot send
// the token, so their bytes are read with it once and shown from a blob URL.
const blobs = new Map<number, Promise<string>>();

function useFileSrc(url: string): { src: string | undefined; failed: boolean } {
  const id = store.api.files.idOf(url);
  const [src, setSrc] = useState<string | undefined>(id === undefined ? url : undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (id === undefined) return;
    let live = true;
    let p = blobs.get(id);
    if (!p) {
      p = store.api.files.blob(id).then((b) => URL.createObjectURL(b));
      blobs.set(id, p);
      p.catch(() => blobs.delete(id));
    }
    p.then((u) => live && setSrc(u), () => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [url]);
  return { src, failed };
}

export function ImageAttachment(props: { body: Record<string, unknown> }) {
  const url = String(props.body.url ?? '');
  const name = String(props.body.name ?? 'Image');
  const { src, failed } = useFileSrc(url);
  const w = Number(props.body.width) || undefined;
  const h = Number(props.body.height) || undefined;
  if (failed) return <p class="text"><em>Image unavailable</em></p>;
  if (!src) return <span class="image-placeholder" role="img" aria-label={`${name} (loading)`} style={w && h ? { aspectRatio: `${w} / ${h}` } : undefined} />;
  return (
    <a href={src} target="_blank" rel="noopener" class="image-link">
      <img src={src} alt={name} width={w} height={h} />
    </a>
  );
}

export function FileAttachment(props: { body: Record<string, unknown> }) {
  const url = String(props.body.url ?? '');
  const name = String(props.body.name ?? 'file');
  const [error, setError] = useState('');
  const id = store.api.files.idOf(url);
  const open = async (e: Event) => {
    if (id === undefined) return;
    e.preventDefault();
    try {
      const blob = await store.api.files.blob(id);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch {
      setError('download failed');
    }
  };
  return (
    <a href={url} class="file-link" onClick={open} download={name}>
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zm0 2.5L17.5 8H14zM6 20V4h6v6h6v10z" /></svg> {name} <span class="hint">{typeof props.body.size === 'number' ? sizeOf(props.body.size) : ''}{error && ` — ${error}`}</span>
    </a>
  );
}
