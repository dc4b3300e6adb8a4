import type { Rule } from './rule.js';
import { abandonRateLimit } from './abandon-rate-limit.js';
import { agentStatusCode } from './agent-status-code.js';
import { agentStatusWithoutCode } from './agent-status-without-code.js';
import { archiveSettings } from './archive-settings.js';
import { callingWindow } from './calling-window.js';
import { campaignCompliance } from './campaign-compliance.js';
import { campaignSettings } from './campaign-settings.js';
import { deploySettings } from './deploy-settings.js';
import { duplicateDid } from './duplicate-did.js';
import { duplicateExtension } from './duplicate-extension.js';
import { duplicateMac } from './duplicate-mac.js';
import { duplicateNodeAddress } from './duplicate-node-address.js';
import { edgeWithoutTls } from './edge-without-tls.js';
import { emergencyShadowed } from './emergency-shadowed.js';
import { emptyQueue } from './empty-queue.js';
import { functionKeyReference } from './function-key-reference.js';
import { inboundDestination } from './inbound-destination.js';
import { inlineSecret } from './inline-secret.js';
import { invalidMac } from './invalid-mac.js';
import { invalidTimezone } from './invalid-timezone.js';
import { ivrLoop } from './ivr-loop.js';
import { notSnomMac } from './mac-not-snom.js';
import { malformedHoliday } from './malformed-holiday.js';
import { malformedHours } from './malformed-hours.js';
import { noAnswerStep } from './no-answer-step.js';
import { noAsteriskNode } from './no-asterisk-node.js';
import { overflowCycle } from './overflow-cycle.js';
import { queueTiming } from './queue-timing.js';
import { tooManyFunctionKeys } from './too-many-function-keys.js';
import { trunkWithoutAddress } from './trunk-without-address.js';
import { unknownReference } from './unknown-reference.js';
import { unknownSnomModel } from './unknown-snom-model.js';
import { unreachableIvr } from './unreachable-ivr.js';
import { unusableOutboundRoute } from './unusable-outbound-route.js';
import { weakSecret } from './weak-secret.js';

/** Every semantic rule, sorted by id. */
export const RULES: readonly Rule[] = [
  abandonRateLimit,
  agentStatusCode,
  agentStatusWithoutCode,
  archiveSettings,
  callingWindow,
  campaignCompliance,
  campaignSettings,
  deploySettings,
  duplicateDid,
  duplicateExtension,
  duplicateMac,
  duplicateNodeAddress,
  edgeWithoutTls,
  emergencyShadowed,
  emptyQueue,
  functionKeyReference,
  inboundDestination,
  inlineSecret,
  invalidMac,
  invalidTimezone,
  ivrLoop,
  notSnomMac,
  malformedHoliday,
  malformedHours,
  noAnswerStep,
  noAsteriskNode,
  overflowCycle,
  queueTiming,
  tooManyFunctionKeys,
  trunkWithoutAddress,
  unknownReference,
  unknownSnomModel,
  unreachableIvr,
  unusableOutboundRoute,
  weakSecret,
];
