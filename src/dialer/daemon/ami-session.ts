import { AmiError, AmiLoginRefused, connectAmi, type Ami, type AmiMessage, type AmiOptions } from '../../provision/ami.js';

/**
 * A manager connection that comes back: connects, and after any loss reconnects with a backoff
 * (0.5 s doubling to 30 s, reset once a connection held). Each new connection runs `onConnect`
 * first (the daemon reads the queue members and reconciles its calls), then events flow again.
 * Actions while disconnected fail at once with an AmiError: the caller decides (an Originate not
 * sent is a call that did not happen).
 */
export interface AmiSessionOptions extends Omit<AmiOptions, 'onEvent' | 'onClose'> {
  onEvent(e: AmiMessage): void;
  onConnect(ami: Ami): Promise<void>;
  log(line: string): void;
  /** First and longest wait between attempts, ms. */
  backoff?: { initialMs: number; maxMs: number };
}

export class AmiSession {
  private ami: Ami | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;
  private connecting: Promise<void> | undefined;
  private refusedIsFatal = false;
  private refused: AmiLoginRefused | undefined;

  constructor(private readonly o: AmiSessionOptions) {
    this.delay = o.backoff?.initialMs ?? 500;
  }

  get connected(): boolean {
    return this.ami !== undefined;
  }

  /** Connects now (resolves after the first attempt, connected or not) and keeps reconnecting. */
  start(): Promise<void> {
    return this.attempt();
  }

  /** As start(), but a refused login on the first attempt rejects (AmiLoginRefused) instead of retrying. */
  async startOrRefused(): Promise<void> {
    this.refusedIsFatal = true;
    await this.attempt();
    this.refusedIsFatal = false;
    if (this.refused) throw this.refused;
  }

  async action(fields: AmiMessage): Promise<AmiMessage> {
    if (!this.ami) throw new AmiError("not connected to Asterisk's manager");
    return this.ami.action(fields);
  }

  async list(fields: AmiMessage): Promise<{ response: AmiMessage; events: AmiMessage[] }> {
    if (!this.ami) throw new AmiError("not connected to Asterisk's manager");
    return this.ami.list(fields);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.connecting?.catch(() => undefined);
    const ami = this.ami;
    this.ami = undefined;
    await ami?.close();
  }

  private attempt(): Promise<void> {
    this.connecting = (async () => {
      try {
        const ami = await connectAmi({ ...this.o, onEvent: (e) => this.o.onEvent(e), onClose: (e) => this.lost(e) });
        if (this.stopped) {
          await ami.close();
          return;
        }
        this.ami = ami;
        this.o.log(`connected to Asterisk's manager at ${this.o.host}:${this.o.port} as ${this.o.username}`);
        await this.o.onConnect(ami);
        this.delay = this.o.backoff?.initialMs ?? 500;
      } catch (e) {
        if (this.ami) {
          // onConnect failed on a live connection: start over.
          const ami = this.ami;
          this.ami = undefined;
          await ami.close();
        }
        if (this.stopped) return;
        if (e instanceof AmiLoginRefused && this.refusedIsFatal) {
          this.refused = e;
          return;
        }
        this.o.log(`${(e as Error).message}; trying again in ${(this.delay / 1000).toFixed(1)} s`);
        this.schedule();
      }
    })();
    return this.connecting;
  }

  private lost(e: Error): void {
    this.ami = undefined;
    if (this.stopped) return;
    this.o.log(`${e.message}; reconnecting in ${(this.delay / 1000).toFixed(1)} s`);
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.o.backoff?.maxMs ?? 30_000);
    this.timer = setTimeout(() => void this.attempt(), wait);
  }
}
