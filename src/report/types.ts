export type OutputMode = 'tty' | 'plain' | 'json';

export interface RendererOptions {
  readonly verbose: boolean;
  readonly diff: boolean;
  /** Where output goes; process.stdout by default. */
  readonly out?: NodeJS.WritableStream;
  /** Default: out is a TTY and NO_COLOR is unset. */
  readonly color?: boolean;
}

export interface Renderer {
  /** Resolves once everything is flushed (after 'recap'). */
  done(): Promise<void>;
}

/** The options with their defaults applied; what each renderer works from. */
export interface ResolvedOptions {
  readonly verbose: boolean;
  readonly diff: boolean;
  readonly out: NodeJS.WritableStream;
  readonly color: boolean;
}
