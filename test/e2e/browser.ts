// Headless Chromium (Debian's package) driven by playwright-core, against a
// real Parley started by the test. Each user gets their own browser context
// (own storage, own session), as two people on two machines would.
// playwright gives every context a fresh profile of its own; HOME points the
// browser's other state at a temporary directory.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far (the app must cause none). */
  errors: string[];
}

export class Browsers {
  #browser: Browser | undefined;
  #profile = mkdtempSync(join(tmpdir(), 'parley-chromium-'));

  async start(): Promise<void> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
    this.#browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true, env: { ...process.env, HOME: this.#profile } });
  }

  async person(baseUrl: string, viewport = { width: 1280, height: 800 }): Promise<Person> {
    if (!this.#browser) throw new Error('start() first');
    const context = await this.#browser.newContext({ baseURL: baseUrl, viewport });
    // Generous: CI runs the e2e tests beside the rest of the suite on two cores.
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    // A failed request is reported by its address (Chromium's own console line for it names none).
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    return { context, page, errors };
  }

  async stop(): Promise<void> {
    await this.#browser?.close();
    rmSync(this.#profile, { recursive: true, force: true });
  }
}

/** Signs up through the UI and waits for the signed-in shell. */
export async function signUp(p: Person, handle: string, password: string, displayName: string): Promise<void> {
  const { page } = p;
  await page.goto('/');
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Username').fill(handle);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** When PARLEY_SCREENSHOTS names a directory (npm run screenshots), saves the page there for the README. */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.PARLEY_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png` });
}

export interface TwoPeople {
  browsers: Browsers;
  db: TestDatabase;
  s: TestServer;
  ann: Person;
  bob: Person;
}

/**
 * Ann Lee (ann) and Bob Stone (bob), each signed up in a browser of their own
 * against a fresh server: the setup most browser tests share. Registers its
 * hooks in the calling `describe`; the fields are set once `before` has run.
 */
export function annAndBob(viewports: { ann?: { width: number; height: number }; bob?: { width: number; height: number } } = {}): TwoPeople {
  const world = { browsers: new Browsers() } as TwoPeople;
  before(async () => {
    world.db = await createTestDatabase();
    world.s = await startTestServer({ db: world.db });
    await world.browsers.start();
    world.ann = await world.browsers.person(world.s.url, viewports.ann);
    world.bob = await world.browsers.person(world.s.url, viewports.bob);
    await signUp(world.ann, 'ann', 'ann-password-1', 'Ann Lee');
    await signUp(world.bob, 'bob', 'bob-password-1', 'Bob Stone');
  });
  after(async () => {
    await world.browsers.stop();
    await world.s.stop();
    await world.db.drop();
  });
  return world;
}
