-- 0001_ledger: the call ledger, the effect keys that make every external effect idempotent, and
-- admin settings. Plain PostgreSQL that also runs on PGlite. Applied in one transaction by
-- platform/db/migrate.ts; never edit an applied migration, add a new file instead.

-- Keeps updated_at honest on every UPDATE, whether or not the statement sets it.
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

-- One row per RingCentral telephony session, filled in as its events arrive.
CREATE TABLE calls (
  telephony_session_id text PRIMARY KEY,
  direction text,                      -- as RingCentral sends it: 'Inbound' | 'Outbound'
  from_number text,                    -- E.164, e.g. +4930123456
  to_number text,                      -- E.164
  extension_id text,
  result text,                         -- RingCentral call result, e.g. 'Accepted', 'Missed'
  started_at timestamptz,
  duration_s integer CHECK (duration_s >= 0),
  missed boolean NOT NULL DEFAULT false,
  voicemail boolean NOT NULL DEFAULT false,
  recording_id text,
  completed_at timestamptz,            -- set when the call ended and its facts are final
  crm_person_module text,              -- Zoho module of the matched person: 'Leads' | 'Contacts'
  crm_person_id text,
  crm_call_id text,
  crm_note_id text,
  recording_attachment_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX calls_started_at_idx ON calls (started_at);

CREATE TRIGGER calls_set_updated_at BEFORE UPDATE ON calls
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One row per external effect of a call. The primary key is the idempotency key: claim an effect
-- with INSERT ... ON CONFLICT DO NOTHING (rowCount 1 = this worker does it), then record the
-- result. effect is e.g. 'lead', 'call_activity', 'note', 'recording_attachment',
-- 'notification'; effect_key tells apart several effects of one kind ('' when there is one).
-- No foreign key to calls, so an effect can be claimed before the call row is written.
CREATE TABLE call_effects (
  telephony_session_id text NOT NULL,
  effect text NOT NULL CHECK (effect <> ''),
  effect_key text NOT NULL DEFAULT '',
  external_id text,                    -- the id the other system gave the effect (Zoho record id)
  done_at timestamptz,                 -- null while claimed but not confirmed done
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (telephony_session_id, effect, effect_key)
);

-- Admin settings, one JSON value per key.
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER settings_set_updated_at BEFORE UPDATE ON settings
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
