// The Parley web client: Preact components over the SDK in packages/sdk (@parley/sdk).
import { render } from 'preact';
import { App } from './app/App.tsx';
import { store } from './app/store.ts';
import './styles.css';

render(<App />, document.getElementById('app')!);
if (store.session) void store.start();
