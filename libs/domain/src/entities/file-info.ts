/** One entry of an artifact listing. `path` is a basename (proxy) or run-relative (tracking). */
export interface FileInfo {
  path: string;
  isDir: boolean;
  fileSize?: number;
}
