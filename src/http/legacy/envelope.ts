// The legacy body `{success, info, ...}`: success with the document's info
// text and any lists; failure with the reason in `info` (and core's code in
// `code`). Always HTTP 200, as the Struts app answers.

export const ok = <T extends object>(info: string, rest?: T) => ({ success: true, info, ...rest });

export const failure = (info: string, code: string) => ({ success: false, info, code });
