let current: string | null = null;

function expire(): void {
  current = null;
}

/**
 * Now as an HTTP date (RFC 9110 5.6.7, `Fri, 04 Dec 2026 15:33:18 GMT`), made once a second as
 * Node makes its own, so a request pays for no clock read.
 */
export function httpDate(): string {
  if (current === null) {
    const now = new Date();
    current = now.toUTCString();
    setTimeout(expire, 1000 - now.getMilliseconds()).unref();
  }
  return current;
}
