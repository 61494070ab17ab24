import { useEffect, useState } from 'preact/hooks';
import { store, type Store } from './store.ts';

/** Re-renders the component whenever the store changes. */
export function useStore(): Store {
  const [, setVersion] = useState(store.version);
  useEffect(() => store.subscribe(() => setVersion(store.version)), []);
  return store;
}

/** The part of the address after #/ (the open conversation). */
export function useHashRoute(): string {
  const [route, setRoute] = useState(() => location.hash.replace(/^#\/?/, ''));
  useEffect(() => {
    const on = () => setRoute(location.hash.replace(/^#\/?/, ''));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
