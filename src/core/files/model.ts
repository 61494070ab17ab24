// Stored files as core sees them. A file is one object under a key in one
// app; its bytes live in the blob store at `<appId>/<key>`.

export const Visibility = {
  /** Only the owner and the app's admins, or anyone holding a signed URL. */
  private: 'private',
  /** Any signed-in user of the app (chat attachments, group files). */
  app: 'app',
  /** Anyone with the URL, no credentials (avatars, dtalk's public bucket). */
  public: 'public',
} as const;
export type Visibility = (typeof Visibility)[keyof typeof Visibility];

export const FileStatus = {
  /** The key is reserved by an upload in progress; not readable. */
  pending: 'pending',
  ready: 'ready',
} as const;
export type FileStatus = (typeof FileStatus)[keyof typeof FileStatus];

export interface StoredFile {
  id: number;
  appId: number;
  key: string;
  /** The uploading user; null when an app-admin token uploaded it. */
  ownerId: number | null;
  contentType: string;
  size: number;
  etag: string;
  visibility: Visibility;
  status: FileStatus;
  /** When a pending reservation lapses (cleanup removes it); null once ready. */
  pendingUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface MultipartUpload {
  id: number;
  appId: number;
  fileId: number;
  key: string;
  ownerId: number | null;
  /** The blob store's own id for the upload. */
  storageUploadId: string;
  contentType: string;
  createdAt: number;
}

export interface UploadedPart {
  uploadId: number;
  partNumber: number;
  etag: string;
  size: number;
}

/** What a file looks like to clients (no internal state). */
export interface FileView {
  id: number;
  key: string;
  ownerId: number | null;
  contentType: string;
  size: number;
  etag: string;
  visibility: Visibility;
  /** Where the bytes are served: GET this path (under the server's base URL). */
  contentPath: string;
  createdAt: number;
  updatedAt: number;
}

export const contentPath = (id: number) => `/v1/files/${id}/content`;

export const fileView = (f: StoredFile): FileView => ({
  id: f.id,
  key: f.key,
  ownerId: f.ownerId,
  contentType: f.contentType,
  size: f.size,
  etag: f.etag,
  visibility: f.visibility,
  contentPath: contentPath(f.id),
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
});
