/**
 * The reasons an agent is not ready for (the queue pause reason). A project names its own in
 * `agent_statuses` (the not-ready ones); without any, these are what the API accepts, the
 * agent statuses of the field notes (break, consultation, e-mail work, wrap-up).
 */
export const DEFAULT_AGENT_REASONS: readonly string[] = ['break', 'consultation', 'email', 'wrap-up'];

