import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { CallEvent, DialerBackend } from './backend.js';

/** Prometheus metrics of the dialer: gauges read from the live statistics at each scrape, counters from call events and API tasks. */
export class DialerMetrics {
  readonly registry = new Registry();
  private readonly agents = new Gauge({ name: 'callplan_dialer_agents', help: 'Agents by state.', labelNames: ['state'], registers: [this.registry] });
  private readonly inProgress = new Gauge({ name: 'callplan_dialer_calls_in_progress', help: 'Calls up, per campaign.', labelNames: ['campaign'], registers: [this.registry] });
  private readonly level = new Gauge({ name: 'callplan_dialer_dial_level', help: 'Calls in flight per working agent at the last decision.', labelNames: ['campaign'], registers: [this.registry] });
  private readonly answer = new Gauge({ name: 'callplan_dialer_answer_rate', help: 'Answered / ended calls over the regulated window.', labelNames: ['campaign'], registers: [this.registry] });
  private readonly abandon = new Gauge({ name: 'callplan_dialer_abandon_rate', help: 'Abandoned / live answers over the regulated window.', labelNames: ['campaign'], registers: [this.registry] });
  private readonly target = new Gauge({ name: 'callplan_dialer_abandon_target', help: "The campaign's abandon-rate target.", labelNames: ['campaign'], registers: [this.registry] });
  private readonly paused = new Gauge({ name: 'callplan_dialer_paused', help: '1 while the campaign is paused.', labelNames: ['campaign'], registers: [this.registry] });
  private readonly contacts = new Gauge({ name: 'callplan_dialer_contacts', help: 'Contacts by state.', labelNames: ['campaign', 'state'], registers: [this.registry] });
  readonly calls = new Counter({ name: 'callplan_dialer_call_events_total', help: 'Call events (planned, answered, connected, ended by outcome).', labelNames: ['campaign', 'type', 'outcome'], registers: [this.registry] });
  readonly tasks = new Counter({ name: 'callplan_dialer_api_tasks_total', help: 'Tasks pushed over the API, by result.', labelNames: ['campaign', 'result'], registers: [this.registry] });

  constructor(private readonly backend: DialerBackend) {
    collectDefaultMetrics({ register: this.registry, prefix: 'callplan_dialer_' });
  }

  onCallEvent(e: CallEvent): void {
    this.calls.inc({ campaign: e.campaign, type: e.type, outcome: e.outcome ?? '' });
  }

  async text(): Promise<string> {
    const s = this.backend.stats();
    for (const [state, n] of Object.entries(s.agents.byState)) this.agents.set({ state }, n);
    for (const c of s.campaigns) {
      const campaign = c.name;
      this.inProgress.set({ campaign }, c.callsInProgress);
      this.level.set({ campaign }, c.dialLevel);
      if (c.answerRate !== null) this.answer.set({ campaign }, c.answerRate);
      if (c.abandon.rate !== null) this.abandon.set({ campaign }, c.abandon.rate);
      this.target.set({ campaign }, c.abandon.target);
      this.paused.set({ campaign }, c.paused ? 1 : 0);
      for (const [state, n] of Object.entries(c.contacts)) if (state !== 'total') this.contacts.set({ campaign, state }, n);
    }
    return this.registry.metrics();
  }
}
