/** Injection tokens for everything outside the process, so tests and replicas can swap implementations. */
export const API_CONFIG = Symbol('API_CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const TEMPORAL_CONNECTION = Symbol('TEMPORAL_CONNECTION');
/** A second Temporal connection without retries, for health probes. */
export const TEMPORAL_PROBE_CONNECTION = Symbol('TEMPORAL_PROBE_CONNECTION');
/** The Temporal workflow client (over TEMPORAL_CONNECTION). */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
/** The 佐证材料 store (libs/storage): files under the data directory by default. */
export const ATTACHMENT_STORE = Symbol('ATTACHMENT_STORE');
