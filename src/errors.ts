/** Every error code rackplay reports. Codes are stable; messages may improve. */
export type ErrorCode =
  | 'E_YAML_SYNTAX'
  | 'E_YAML_ALIAS'
  | 'E_YAML_DEPTH'
  | 'E_YAML_TAG'
  | 'E_FILE_TOO_LARGE'
  | 'E_FILE_NOT_REGULAR'
  | 'E_DUPLICATE_KEY'
  | 'E_FILE_NOT_FOUND'
  | 'E_SCHEMA'
  | 'E_UNKNOWN_MODULE'
  | 'E_UNKNOWN_PARAM'
  | 'E_WRONG_TYPE'
  | 'E_MISSING_PARAM'
  | 'E_MULTIPLE_MODULES'
  | 'E_NO_MODULE'
  | 'E_UNKNOWN_KEYWORD'
  | 'E_UNDEFINED_VARIABLE'
  | 'E_TEMPLATE_SYNTAX'
  | 'E_TEMPLATE'
  | 'E_UNKNOWN_HANDLER'
  | 'E_ROLE_NOT_FOUND'
  | 'E_ROLE_CYCLE'
  | 'E_MODULE_NOT_FOUND'
  | 'E_MODULE_LOAD'
  | 'E_MODULE_SCHEMA'
  | 'E_MODULE_SHADOWS_BUILTIN'
  | 'E_INVENTORY'
  | 'E_HOST_RANGE'
  | 'E_GROUP_CYCLE'
  | 'E_BAD_OPTION'
  | 'E_INVALID_PARAM'
  | 'E_VAULT_DECRYPT'
  | 'E_VAULT_FORMAT'
  | 'E_VAULT_NO_SECRET'
  | 'E_VAULT_PASSWORD'
  | 'E_VAULT_EDITOR';

export interface SourcePosition {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
}

/** An error as a value: a code, a message, and where it comes from. */
export class RackplayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly position?: SourcePosition,
  ) {
    super(message);
    this.name = 'RackplayError';
  }

  /** `file:line:col CODE message`, the format every validation problem is printed in. */
  format(): string {
    const where = this.position ? `${this.position.file}:${this.position.line}:${this.position.col}` : '-';
    return `${where} ${this.code} ${this.message}`;
  }
}

/** Many problems found at once; validation never stops at the first. */
export class ValidationFailure extends Error {
  constructor(readonly problems: readonly RackplayError[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
    this.name = 'ValidationFailure';
  }
}
