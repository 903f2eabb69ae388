/**
 * Header schema keys to header names: `userAgent`, `user_agent` and `user-agent` all read the
 * `user-agent` header (FastAPI converts underscores the same way). No imports: the client uses it too.
 */
export function headerName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}
