/**
 * The names the Asterisk target gives recordings (src/targets/asterisk/dialplan/recording.ts,
 * the cp-answered subroutine):
 *
 *   YYYYMMDD-HHMMSS_<queue or "direct">_<agent extension>_<call id>.<wav|WAV|gsm|ogg>
 *   <the same base>.json                                      (the call's metadata sidecar)
 *
 * The time is UTC. Queue names may hold "_", so the name is read from both ends: the time from
 * the start, the call id and the agent from the end, the queue is what lies between.
 */

/** File extensions MixMonitor gives the recording formats the model allows (wav49 writes .WAV). */
export const RECORDING_EXTENSIONS: readonly string[] = ['wav', 'WAV', 'gsm', 'ogg'];

export interface RecordingName {
  /** The whole file name. */
  name: string;
  /** The name without its extension, shared by a recording and its sidecar. */
  base: string;
  kind: 'recording' | 'sidecar';
  extension: string;
  /** When the call was answered (UTC, from the name). */
  started: Date;
  /** The queue the call came through, or "direct". */
  queue: string;
  /** The extension of who answered (may be empty for an outbound call of an unknown endpoint). */
  agent: string;
  callId: string;
}

const NAME = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})_(.+)_([^_]*)_([^_]+)\.([A-Za-z0-9]+)$/;

/** Reads a recording's or sidecar's file name; undefined when it is not named the way callplan names them. */
export function parseRecordingName(name: string): RecordingName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, queue, agent, callId, extension] = m as unknown as string[];
  const kind = extension === 'json' ? 'sidecar' : RECORDING_EXTENSIONS.includes(extension!) ? 'recording' : undefined;
  if (!kind) return undefined;
  const started = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  // Date.UTC rolls 20250230 over into March: a name that does not round-trip is no real time.
  const back = started.toISOString();
  if (back.slice(0, 19) !== `${y}-${mo}-${d}T${h}:${mi}:${s}`) return undefined;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(queue!)) return undefined;
  return { name, base: name.slice(0, -(extension!.length + 1)), kind, extension: extension!, started, queue: queue!, agent: agent!, callId: callId! };
}

/** The sidecar's file name for a recording's base name. */
export const sidecarName = (base: string): string => `${base}.json`;
