/**
 * The dialer database's schema, as numbered migrations. `PRAGMA user_version` holds the number of
 * the last one applied; each runs once, in its own transaction, in order. Never edit a migration
 * that has shipped: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the first schema.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  CREATE TABLE campaigns (
    name TEXT PRIMARY KEY,
    paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    updated_at INTEGER NOT NULL
  ) STRICT;

  -- seq is the order contacts came in: the pacing core's index of a contact follows it.
  CREATE TABLE contacts (
    seq INTEGER PRIMARY KEY,
    campaign TEXT NOT NULL,
    id TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    name TEXT,
    case_number TEXT,
    timezone TEXT,
    -- [{ "number": "48601234567", "type": "mobile", "timezone": "Europe/Warsaw" }, ...] in dialling order, 1 to 4.
    numbers TEXT NOT NULL CHECK (json_valid(numbers) AND json_array_length(numbers) BETWEEN 1 AND 4),
    fields TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields)),
    source TEXT NOT NULL CHECK (source IN ('load', 'api')),
    not_before INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (campaign, id)
  ) STRICT;

  -- Write-ahead: a row is written (planned) before the call is originated, and ended before the core learns it.
  CREATE TABLE attempts (
    id TEXT PRIMARY KEY,
    campaign TEXT NOT NULL,
    contact INTEGER NOT NULL REFERENCES contacts (seq),
    number_index INTEGER NOT NULL CHECK (number_index BETWEEN 0 AND 3),
    number TEXT NOT NULL,
    number_type TEXT NOT NULL,
    kind TEXT NOT NULL,
    agent TEXT,
    ring_timeout INTEGER NOT NULL,
    planned_at INTEGER NOT NULL,
    answered_at INTEGER,
    amd_passed INTEGER,
    ended_at INTEGER,
    outcome TEXT CHECK (outcome IN ('connected', 'abandoned', 'busy', 'noAnswer', 'machine', 'failed')),
    talk_agent TEXT,
    CHECK ((ended_at IS NULL) = (outcome IS NULL))
  ) STRICT;
  CREATE INDEX attempts_unfinished ON attempts (campaign) WHERE ended_at IS NULL;
  CREATE INDEX attempts_by_contact ON attempts (contact);

  -- The journal of every event recorded, in order: what a restart replays.
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    campaign TEXT NOT NULL,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    attempt TEXT,
    contact INTEGER,
    body TEXT NOT NULL CHECK (json_valid(body))
  ) STRICT;
  CREATE INDEX events_by_contact ON events (campaign, contact, seq) WHERE contact IS NOT NULL;
  CREATE INDEX events_by_time ON events (campaign, at);

  -- seq is the journal's seq of the event that asked for the callback.
  CREATE TABLE callbacks (
    seq INTEGER PRIMARY KEY,
    campaign TEXT NOT NULL,
    contact INTEGER NOT NULL REFERENCES contacts (seq),
    at INTEGER NOT NULL,
    agent TEXT,
    grace_seconds INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('call', 'api')),
    attempt TEXT,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX callbacks_by_contact ON callbacks (contact);

  -- What the core learnt of each agent's pace (its exact state is rebuilt from the journal).
  CREATE TABLE agent_pace (
    campaign TEXT NOT NULL,
    agent TEXT NOT NULL,
    calls INTEGER NOT NULL,
    talk_seconds REAL NOT NULL,
    wrap_seconds REAL NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (campaign, agent)
  ) STRICT;

  -- Numbers never called, in every campaign: E.164 digits without '+'.
  CREATE TABLE do_not_call (
    number TEXT PRIMARY KEY,
    reason TEXT,
    source TEXT NOT NULL,
    added_at INTEGER NOT NULL
  ) STRICT;

  -- Tasks pushed over the API: idempotent by (campaign, id); each became one contact.
  CREATE TABLE tasks (
    campaign TEXT NOT NULL,
    id TEXT NOT NULL,
    contact INTEGER NOT NULL REFERENCES contacts (seq),
    received_at INTEGER NOT NULL,
    body TEXT NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (campaign, id)
  ) STRICT;
  `,
  // 2: the live statistics read ended attempts over the regulated window.
  `
  CREATE INDEX attempts_ended ON attempts (campaign, ended_at) WHERE ended_at IS NOT NULL;
  `,
];
