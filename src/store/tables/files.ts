// Row shapes of stored files and multipart uploads (migration 0004-files).

export interface FilesTable {
  id: number;
  app_id: number;
  key: string;
  owner_id: number | null;
  content_type: string;
  size: number;
  etag: string;
  visibility: string;
  status: string;
  pending_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface UploadsTable {
  id: number;
  app_id: number;
  file_id: number;
  key: string;
  owner_id: number | null;
  storage_upload_id: string;
  content_type: string;
  created_at: number;
}

export interface UploadPartsTable {
  upload_id: number;
  part_number: number;
  etag: string;
  size: number;
}

export interface FileTables {
  files: FilesTable;
  uploads: UploadsTable;
  upload_parts: UploadPartsTable;
}
