// Status codes of the C ABI (wasm/nazar_abi.h NazarStatus, core nazar::StatusCode). Values are
// part of the ABI; tests/web/abi_contract.test.mjs checks this mirror against both headers.

// A plain object rather than a TypeScript enum: an enum also maps values back to names (64 B of
// the first question's brotli budget), which STATUS_NAMES below does.
export const StatusCode = {
  Ok: 0,
  InvalidArgument: 1,
  InvalidDefinition: 2,
  NotFound: 3,
  FailedPrecondition: 4,
  OutOfRange: 5,
  Internal: 6,
} as const;
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

// Names as used in JSON error slots and NazarError.code (nazar::StatusCodeName).
export const STATUS_NAMES = [
  'ok',
  'invalid_argument',
  'invalid_definition',
  'not_found',
  'failed_precondition',
  'out_of_range',
  'internal',
] as const;

export type StatusName = (typeof STATUS_NAMES)[number];

export function statusName(status: number): StatusName {
  return STATUS_NAMES[status] ?? 'internal';
}

// A definition error as reported by nazar_definition_validate.
export interface PointerError {
  pointer: string;
  message: string;
}

// A non-zero status from the core (or a failure of the web side, code "internal"), with the
// message and, for invalid definitions, every error as a JSON pointer plus a message.
export class NazarError extends Error {
  readonly code: StatusName;
  readonly status: number;
  readonly errors: PointerError[];

  constructor(status: number, message: string, errors: PointerError[] = []) {
    super(message);
    this.name = 'NazarError';
    this.status = status;
    this.code = statusName(status);
    this.errors = errors;
  }
}
