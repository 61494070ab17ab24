// The documented answer codes of each dialect, for tests that check an answer
// is not just any envelope but one the dialect's document defines — and not
// the one it uses for internal failures.

import { allErrorCodes } from '../../src/core/errors.ts';
import { DtalkCode } from '../../src/http/dtalk/errors.ts';
import { LanyingCode } from '../../src/http/lanying/errors.ts';
import { XimCode, ximCodeText } from '../../src/http/xim/errors.ts';

/** Every dtalk `result` of the error table (pkg/error/code.go). */
export const dtalkResults = new Set<number>(Object.values(DtalkCode).map((c) => c.result));
/** Every Lanying `code` of the documented table, less its server-failure code. */
export const lanyingCodes = new Set<number>(Object.values(LanyingCode).filter((c) => c !== LanyingCode.server));
/** Every xim `code` of the registry, less its internal-error code. */
export const ximCodes = new Set<number>(Object.keys(ximCodeText).map(Number).filter((c) => c !== XimCode.internal));
/** The core codes legacy answers carry in `code`. */
export const legacyCodes = new Set<string>(allErrorCodes);

/** Why a dialect's answer is not a documented one (undefined: it is). */
export function undocumented(dialect: 'lanying' | 'xim' | 'legacy', body: unknown): string | undefined {
  const b = body as Record<string, unknown> | undefined;
  switch (dialect) {
    case 'lanying':
      return lanyingCodes.has(b?.code as number) ? undefined : `code ${String(b?.code)} is not a documented Lanying code`;
    case 'xim':
      return ximCodes.has(b?.code as number) ? undefined : `code ${String(b?.code)} is not a documented xim code`;
    case 'legacy':
      if (b?.success === true) return undefined;
      return legacyCodes.has(b?.code as string) ? undefined : `code ${String(b?.code)} is not a core error code`;
  }
}
