// Text rules every dialect inherits: names and titles are one line of
// printable text; longer text (descriptions, notices, announcement content)
// may also hold line breaks and tabs. Control characters in them make no sense
// and confuse whoever displays or logs them, and NUL is cut or refused by the
// databases; the HTTP layer refuses NUL everywhere (http/input-guard.ts),
// this also covers callers that are not HTTP.

import { fail } from './errors.ts';

/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, but tab, line feed and carriage return are allowed. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** A name or title: no control character at all. */
export function checkLine(value: string | undefined, field: string): void {
  if (value !== undefined && CONTROL.test(value)) throw fail('invalid_argument', `${field} must not contain control characters`, { field });
}

/** Free text: line breaks and tabs allowed, other control characters not. */
export function checkParagraphs(value: string | undefined, field: string): void {
  if (value !== undefined && CONTROL_BUT_LINES.test(value)) throw fail('invalid_argument', `${field} must not contain control characters other than tab and line breaks`, { field });
}
