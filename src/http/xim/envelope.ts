// The blademaster envelope with Medlinker's duplicated fields:
// `{code, errcode, message, errmsg, data}`, 0/"ok" on success. Business
// errors are HTTP 200, as blademaster's c.JSON writes them.

export const ok = <T>(data: T) => ({ code: 0, errcode: 0, message: 'ok', errmsg: 'ok', data });

export const failure = (code: number, message: string) => ({ code, errcode: code, message, errmsg: message, data: null });
