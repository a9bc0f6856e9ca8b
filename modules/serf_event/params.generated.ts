// Generated from schemas/modules/serf_event.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface SerfEventParamsFromSchema {
  /** The event name (user:NAME handlers match it). */
  readonly name: string;
  /** The payload handed to the handlers on stdin. */
  readonly payload?: string;
  /** Let Serf coalesce events of the same name sent in a short time (only the last is delivered); false sends -coalesce=false. */
  readonly coalesce?: boolean;
  /** RPC address of the agent that sends the event. */
  readonly rpc_addr?: string;
  /** RPC auth token of that agent. */
  readonly rpc_auth?: string;
  /** The sending agent's user_event_size_limit in bytes; an event larger once encoded fails before it is sent. */
  readonly user_event_size_limit?: number;
  /** The serf binary on the host. */
  readonly executable?: string;
}
