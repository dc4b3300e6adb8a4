/** The pacing core: pure, deterministic, shared by the simulator and the live daemon. */
export * from './types.js';
export { complianceProfile, describeWindow, PROFILE_RULES_OF } from './profiles.js';
export { ContactState, ContactStore, MAX_NUMBERS, type ContactInput } from './contacts.js';
export { CallingWindow } from './calling-window.js';
export { AbandonController, WindowCounts, DEFAULT_CONTROLLER, type ControllerOptions } from './controller.js';
export { Dialer, type DialerOptions } from './dialer.js';
export { LearnedBeliefs } from './learned.js';
export type { Beliefs, Pace, PacingPolicy, PacingView } from './policy.js';
export { PredictivePolicy, type PredictiveOptions } from './predictive.js';
export { DEFAULT_PRIOR, DEFAULT_RETRIES, pacingSettings, type SettingsInput } from './settings.js';
