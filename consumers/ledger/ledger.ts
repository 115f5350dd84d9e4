/**
 * @module consumers/ledger/ledger
 * The call ledger: what has been done for each call, and the idempotency keys that turn
 * at-least-once delivery into exactly-once effects. Every external effect (a lead, a call
 * activity, a note, an attachment, a notification) follows one protocol:
 *
 *   1. `claim(session, effect, key)` — INSERT ... ON CONFLICT DO NOTHING on the effect's primary
 *      key. `done` → skip (already happened); `claimed` → this worker does it; `pending` → it was
 *      claimed before but never confirmed (a worker died between the call and the confirmation):
 *      the consumer must check the other system before doing it again.
 *   2. do the external call;
 *   3. `complete(session, effect, key, externalId)`; or `release(...)` when the call failed
 *      before anything happened, so a retry may claim it again.
 */
import type { Db } from '../../platform/db/port.ts'
import type { CallCompleted } from '../../schemas/calls.ts'

export type EffectName =
  | 'completed'
  | 'lead'
  | 'call_activity'
  | 'note'
  | 'recording_attachment'
  | 'notification'

export type Claim =
  | { readonly status: 'claimed' }
  | { readonly status: 'done'; readonly externalId: string | null }
  /** Claimed earlier and never confirmed: look in the other system before repeating it. */
  | { readonly status: 'pending'; readonly claimedAt: Date }

export interface CallRow {
  readonly telephonySessionId: string
  readonly completedAt: Date | null
  readonly crmPersonModule: string | null
  readonly crmPersonId: string | null
  readonly crmCallId: string | null
  readonly crmNoteId: string | null
  readonly recordingAttachmentId: string | null
}

export const createLedger = (db: Db) => {
  const claim = async (session: string, effect: EffectName, key = ''): Promise<Claim> => {
    const inserted = await db.query(
      `INSERT INTO call_effects (telephony_session_id, effect, effect_key) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [session, effect, key],
    )
    if (inserted.rowCount === 1) return { status: 'claimed' }
    const { rows } = await db.query<{
      external_id: string | null
      done_at: Date | null
      created_at: Date
    }>(
      `SELECT external_id, done_at, created_at FROM call_effects
       WHERE telephony_session_id = $1 AND effect = $2 AND effect_key = $3`,
      [session, effect, key],
    )
    const row = rows[0]
    if (!row) return claim(session, effect, key) // released in between: try again
    return row.done_at
      ? { status: 'done', externalId: row.external_id }
      : { status: 'pending', claimedAt: new Date(row.created_at) }
  }

  const complete = async (
    session: string,
    effect: EffectName,
    key: string,
    externalId: string | null,
  ) => {
    await db.query(
      `UPDATE call_effects SET external_id = $4, done_at = now()
       WHERE telephony_session_id = $1 AND effect = $2 AND effect_key = $3`,
      [session, effect, key, externalId],
    )
  }

  /** Gives a claim back when the external call surely did not happen. */
  const release = async (session: string, effect: EffectName, key = '') => {
    await db.query(
      `DELETE FROM call_effects
       WHERE telephony_session_id = $1 AND effect = $2 AND effect_key = $3 AND done_at IS NULL`,
      [session, effect, key],
    )
  }

  /** Records a completed call's facts (first writer wins; later copies change nothing). */
  const recordCompleted = async (call: CallCompleted): Promise<{ inserted: boolean }> => {
    const result = await db.query(
      `INSERT INTO calls (telephony_session_id, direction, from_number, to_number, extension_id, result,
         started_at, duration_s, missed, voicemail, recording_id, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
       ON CONFLICT (telephony_session_id) DO UPDATE SET completed_at = COALESCE(calls.completed_at, now())
       WHERE calls.completed_at IS NULL`,
      [
        call.telephonySessionId,
        call.direction,
        call.direction === 'Inbound' ? call.external.phoneNumber : call.internal.phoneNumber,
        call.direction === 'Inbound' ? call.internal.phoneNumber : call.external.phoneNumber,
        call.extensionId,
        call.result,
        call.startTime,
        call.durationS,
        call.result !== 'answered',
        call.voicemail,
        call.recording?.id ?? null,
      ],
    )
    return { inserted: result.rowCount === 1 }
  }

  /** Sets CRM facts on the call row (person, call activity, note, attachment). */
  const setCrmFacts = async (
    session: string,
    facts: Partial<{
      personModule: string
      personId: string
      callId: string
      noteId: string
      attachmentId: string
    }>,
  ) => {
    await db.query(
      `UPDATE calls SET
         crm_person_module = COALESCE($2, crm_person_module),
         crm_person_id = COALESCE($3, crm_person_id),
         crm_call_id = COALESCE($4, crm_call_id),
         crm_note_id = COALESCE($5, crm_note_id),
         recording_attachment_id = COALESCE($6, recording_attachment_id)
       WHERE telephony_session_id = $1`,
      [
        session,
        facts.personModule ?? null,
        facts.personId ?? null,
        facts.callId ?? null,
        facts.noteId ?? null,
        facts.attachmentId ?? null,
      ],
    )
  }

  const call = async (session: string): Promise<CallRow | null> => {
    const { rows } = await db.query<{
      telephony_session_id: string
      completed_at: Date | null
      crm_person_module: string | null
      crm_person_id: string | null
      crm_call_id: string | null
      crm_note_id: string | null
      recording_attachment_id: string | null
    }>(
      `SELECT telephony_session_id, completed_at, crm_person_module, crm_person_id, crm_call_id,
              crm_note_id, recording_attachment_id
       FROM calls WHERE telephony_session_id = $1`,
      [session],
    )
    const row = rows[0]
    return row
      ? {
          telephonySessionId: row.telephony_session_id,
          completedAt: row.completed_at,
          crmPersonModule: row.crm_person_module,
          crmPersonId: row.crm_person_id,
          crmCallId: row.crm_call_id,
          crmNoteId: row.crm_note_id,
          recordingAttachmentId: row.recording_attachment_id,
        }
      : null
  }

  /** Which of these sessions are already known as completed (the reconciler's question). */
  const completedAmong = async (sessions: readonly string[]): Promise<Set<string>> => {
    if (sessions.length === 0) return new Set()
    const { rows } = await db.query<{ telephony_session_id: string }>(
      `SELECT telephony_session_id FROM call_effects
       WHERE effect = 'completed' AND done_at IS NOT NULL AND telephony_session_id = ANY($1)`,
      [sessions],
    )
    return new Set(rows.map((r) => r.telephony_session_id))
  }

  return { claim, complete, release, recordCompleted, setCrmFacts, call, completedAmong }
}

export type Ledger = ReturnType<typeof createLedger>
