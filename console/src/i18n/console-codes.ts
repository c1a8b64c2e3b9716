/** The console's own codes (things only the page can tell: camera, CSV, network); each has an `error.<CODE>` message. */
export const CONSOLE_CODES = [
  'CAMERA_DENIED', 'CAMERA_UNAVAILABLE', 'CONSOLE_ERROR', 'CSV_HEADER_INVALID', 'CSV_ROW_INVALID', 'CSV_TOO_MANY_ROWS', 'HTTP_ERROR',
  'JSON_INVALID', 'NETWORK_UNREACHABLE', 'QR_UNREADABLE', 'REVOCATION_COMMITTED', 'REVOCATION_QUEUED', 'TOKEN_NOT_RECOGNISED',
] as const;
export type ConsoleCode = (typeof CONSOLE_CODES)[number];
