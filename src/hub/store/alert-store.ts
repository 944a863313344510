/**
 * Alerts and their notification outbox, written once over the Sql interface
 * for SQLite and PostgreSQL (migrations/hub/<dialect>/0060_alert_state.sql).
 *
 * No duplicates across hub nodes, by the database alone:
 * - an alert is opened with INSERT ... ON CONFLICT DO NOTHING against the
 *   partial unique index on (terminal, code) WHERE state = 'open', so of two
 *   nodes raising the same condition one inserts; only that one queues the
 *   'raised' notifications, in the same transaction;
 * - an alert is cleared by an UPDATE guarded by state = 'open', so one node
 *   clears it and queues the 'cleared' notifications;
 * - a notification is claimed by one UPDATE that marks it with the node and
 *   a lease (PostgreSQL: FOR UPDATE SKIP LOCKED in its subquery); a node that
 *   dies while sending leaves the lease to run out and another node retries.
 * A 'cleared' waits while the 'raised' to the same channel is still pending,
 * so a receiver that was down hears them in order.
 */
import type { AlertStore, AlertTx, ClaimedNotification, NotificationRow } from './types';
import { alertFromRow, type AlertDbRow } from './rows';
import type { Sql } from './sql';

interface NotificationDbRow {
  id: number;
  alert_id: number;
  channel: string;
  event: string;
  state: string;
  attempts: number;
  next_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

function notificationFromRow(r: NotificationDbRow): NotificationRow {
  return {
    id: Number(r.id),
    alertId: Number(r.alert_id),
    channel: r.channel,
    event: r.event === 'cleared' ? 'cleared' : 'raised',
    state: r.state === 'sent' ? 'sent' : r.state === 'failed' ? 'failed' : 'pending',
    attempts: Number(r.attempts),
    nextAt: r.next_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

export function alertTx(sql: Sql): AlertTx {
  const queue = (alertId: number, channel: string, event: 'raised' | 'cleared', at: string) =>
    sql.run('INSERT INTO alert_notifications (alert_id, channel, event, next_at, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (alert_id, channel, event) DO NOTHING', [alertId, channel, event, at, at]);
  return {
    openAlert: async (a, channels) => {
      const details = JSON.stringify(a.details);
      const row = await sql.get<{ id: number }>(
        `INSERT INTO alerts (terminal_id, at, code, message, details, state, last_seen) VALUES (?, ?, ?, ?, ?, 'open', ?)
         ON CONFLICT (terminal_id, code) WHERE state = 'open' DO NOTHING RETURNING id`,
        [a.terminalId, a.at, a.code, a.message, details, a.at],
      );
      if (!row) {
        await sql.run("UPDATE alerts SET last_seen = ?, message = ?, details = ? WHERE terminal_id = ? AND code = ? AND state = 'open'", [a.at, a.message, details, a.terminalId, a.code]);
        return null;
      }
      const id = Number(row.id);
      for (const c of channels) await queue(id, c, 'raised', a.at);
      return id;
    },
    clearAlert: async (id, at) => {
      if ((await sql.run("UPDATE alerts SET state = 'cleared', cleared_at = ? WHERE id = ? AND state = 'open'", [at, id])) === 0) return false;
      const told = await sql.all<{ channel: string }>("SELECT channel FROM alert_notifications WHERE alert_id = ? AND event = 'raised' ORDER BY id", [id]);
      for (const t of told) await queue(id, t.channel, 'cleared', at);
      return true;
    },
  };
}

/** `write` is the SQLite store's FIFO lock (none on PostgreSQL): never call these inside transaction() */
export function alertStore(sql: Sql, write: <T>(fn: () => Promise<T>) => Promise<T>): AlertStore {
  const skipLocked = sql.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  return {
    openAlerts: async () => (await sql.all<AlertDbRow>("SELECT * FROM alerts WHERE state = 'open' ORDER BY id")).map(alertFromRow),
    touchAlert: (id, at, details) =>
      write(async () => void (await sql.run("UPDATE alerts SET last_seen = ?, details = ? WHERE id = ? AND state = 'open'", [at, JSON.stringify(details), id]))),
    notifications: async (alertId) =>
      (alertId === undefined
        ? await sql.all<NotificationDbRow>('SELECT * FROM alert_notifications ORDER BY id')
        : await sql.all<NotificationDbRow>('SELECT * FROM alert_notifications WHERE alert_id = ? ORDER BY id', [alertId])
      ).map(notificationFromRow),
    claimNotifications: async (node, now, leaseUntil, limit) => {
      const claimed = await write(() =>
        sql.all<{ id: number }>(
          `UPDATE alert_notifications SET claimed_by = ?, claimed_until = ?
            WHERE state = 'pending' AND next_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
              AND id IN (
                SELECT n.id FROM alert_notifications n
                 WHERE n.state = 'pending' AND n.next_at <= ? AND (n.claimed_until IS NULL OR n.claimed_until <= ?)
                   AND NOT (n.event = 'cleared' AND EXISTS (
                     SELECT 1 FROM alert_notifications r WHERE r.alert_id = n.alert_id AND r.channel = n.channel AND r.event = 'raised' AND r.state = 'pending'))
                 ORDER BY n.id LIMIT ?${skipLocked})
            RETURNING id`,
          [node, leaseUntil, now, now, now, now, limit],
        ),
      );
      if (claimed.length === 0) return [];
      const ids = claimed.map((c) => Number(c.id));
      const rows = await sql.all<NotificationDbRow & { a_terminal_id: string; a_at: string; a_code: string; a_message: string; a_details: string; a_state: string; a_last_seen: string | null; a_cleared_at: string | null; t_store: string; t_terminal: string }>(
        `SELECT n.*, a.terminal_id AS a_terminal_id, a.at AS a_at, a.code AS a_code, a.message AS a_message, a.details AS a_details, a.state AS a_state,
                a.last_seen AS a_last_seen, a.cleared_at AS a_cleared_at, t.store AS t_store, t.terminal AS t_terminal
           FROM alert_notifications n JOIN alerts a ON a.id = n.alert_id JOIN terminals t ON t.id = a.terminal_id
          WHERE n.claimed_by = ? AND n.id IN (${ids.map(() => '?').join(', ')}) ORDER BY n.id`,
        [node, ...ids],
      );
      return rows.map(
        (r): ClaimedNotification => ({
          ...notificationFromRow(r),
          alert: {
            ...alertFromRow({ id: r.alert_id, terminal_id: r.a_terminal_id, at: r.a_at, code: r.a_code, message: r.a_message, details: r.a_details, state: r.a_state, last_seen: r.a_last_seen, cleared_at: r.a_cleared_at }),
            store: r.t_store,
            terminal: r.t_terminal,
          },
        }),
      );
    },
    finishNotification: (id, node, result) =>
      write(async () => {
        const [state, nextAt, error, sentAt] = result.sent ? ['sent', null, null, result.at] : [result.nextAt === null ? 'failed' : 'pending', result.nextAt, result.error.slice(0, 500), null];
        await sql.run(
          `UPDATE alert_notifications SET state = ?, attempts = attempts + 1, next_at = COALESCE(?, next_at), last_error = ?, sent_at = ?, claimed_by = NULL, claimed_until = NULL
            WHERE id = ? AND claimed_by = ?`,
          [state, nextAt, error, sentAt, id, node],
        );
      }),
  };
}

