// Who a dtalk request is: the FZM-SIGNATURE header checked against the
// injectable clock, the signer's address as the user's handle, the user
// created on first sight. Every dtalk user lives in one Parley app: the one
// the `dtalkApp` setting names, else the default app.

import type { Core } from '../../core/core.ts';
import { fail } from '../../core/errors.ts';
import type { checkSignature } from './signature.ts';

// The secp256k1 code (@noble/curves, ~1 MiB of heap with its tables) is
// loaded by the first signature to check: a server nobody reaches through
// dtalk never holds it (bench/README.md, idle footprint).
let loaded: Promise<typeof checkSignature> | undefined;
const signatureChecker = () => (loaded ??= import('./signature.ts').then((m) => m.checkSignature));

export interface DtalkCaller {
  appId: number;
  userId: number;
  /** The dtalk uid: the signer's P2PKH address. */
  address: string;
}

/** The original's fixed development tokens (authmock/mock.go); only with `dtalkMockTokens` on. */
export const MOCK_TOKENS: Readonly<Record<string, string>> = {
  MOCK: '1FKxgaEh5fuSm7a35BfUnKYAmradowpiTR',
  MOCK2: '1AsPsahP7FvpR7F2de1LhSB4SU5ShqZ7eu',
};

export interface DtalkAuthOptions {
  /** Parley app id for dtalk users; 0 = the default app. */
  appId: number;
  mockTokens: boolean;
}

export class DtalkAuth {
  readonly #core: Core;
  readonly #opts: DtalkAuthOptions;
  #appId: number | undefined;

  constructor(core: Core, opts: DtalkAuthOptions) {
    this.#core = core;
    this.#opts = opts;
  }

  async appId(): Promise<number> {
    if (this.#appId !== undefined) return this.#appId;
    if (this.#opts.appId !== 0) {
      this.#appId = (await this.#core.apps.get(this.#opts.appId)).id;
    } else {
      const app = await this.#core.apps.defaultApp();
      if (!app) throw fail('app_not_found', 'no app exists yet');
      this.#appId = app.id;
    }
    return this.#appId;
  }

  /** The address an FZM-SIGNATURE value names, or the -1010/-1011 failure. */
  async addressOf(token: string | undefined): Promise<string> {
    if (!token) throw fail('unauthenticated', 'FZM-SIGNATURE header is missing');
    if (this.#opts.mockTokens && Object.hasOwn(MOCK_TOKENS, token)) return MOCK_TOKENS[token];
    const checkSignature = await signatureChecker();
    const checked = checkSignature(token, this.#core.clock.now());
    if (!checked.ok) throw fail(checked.reason === 'expired' ? 'token_expired' : 'unauthenticated', checked.detail);
    return checked.address;
  }

  async authenticate(token: string | undefined): Promise<DtalkCaller> {
    const address = await this.addressOf(token);
    const appId = await this.appId();
    const user = await this.#core.users.ensure(appId, address);
    return { appId, userId: user.id, address };
  }
}
