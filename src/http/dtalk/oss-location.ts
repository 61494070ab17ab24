// Where a dtalk client finds an uploaded object (the original's source "OSS"):
// `uri` in the shape of the configured engine — `/<bucket>/<key>` for an
// S3-compatible store (the original's minio), `/<key>` for the local store
// (as its aliyun engine) — and `host` (get-host) such that host + uri = url.
// Parley serves that path itself: GET /oss/object<uri> redirects to the
// file's content (/v1/files/<id>/content), which streams it or sends the
// client on to the store, so the url works whether or not a bucket is public.

/** Where Parley answers for objects by key. */
export const OBJECT_PATH = '/oss/object';

export class OssLocation {
  readonly #bucket: string | null;

  /** `bucket`: the S3 bucket when the blob store is S3-compatible, else null. */
  constructor(bucket: string | null) {
    this.#bucket = bucket === '' ? null : bucket;
  }

  /** The object's path as the original engine names it. */
  uri(key: string): string {
    return this.#bucket === null ? `/${key}` : `/${this.#bucket}/${key}`;
  }

  /** What get-host answers: the base every uri is resolved against. */
  host(origin: string): string {
    return `${origin}${OBJECT_PATH}`;
  }

  /** The full url of a key (each path segment escaped, so any key is a valid URL). */
  url(origin: string, key: string): string {
    return this.host(origin) + this.uri(key).split('/').map(encodeURIComponent).join('/');
  }

  /** The key a path under OBJECT_PATH names (decoded, without the leading slash); undefined when it names none. */
  keyOf(path: string): string | undefined {
    if (this.#bucket === null) return path === '' ? undefined : path;
    const prefix = `${this.#bucket}/`;
    return path.startsWith(prefix) && path.length > prefix.length ? path.slice(prefix.length) : undefined;
  }
}
