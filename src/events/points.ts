/**
 * The points.moved events of a set-based ledger statement (ledger.ts writeMoves, the expiry's
 * batches): `rows` is a query giving, per card written, the columns card_id, program_id,
 * partner_id, balance (after), delta, moves (json array of {id, kind, points}), reason,
 * reference and pos_order_id. Returns the select an outboxInsert step takes.
 */
export const pointsMovedSelect = (rows: string): string => `
  select 'points.moved'::varchar as type,
         jsonb_build_object('card_id', pm.card_id, 'program_id', pm.program_id, 'partner_id', pm.partner_id,
                            'balance', pm.balance, 'delta', pm.delta, 'moves', pm.moves, 'reason', pm.reason,
                            'reference', pm.reference, 'pos_order_id', pm.pos_order_id) as payload
    from (${rows}) pm`;

/** The json array of a card's new moves, from a data-modifying CTE `moves` returning id, card_id, kind, points. */
export const movesJson = (movesCte: string, cardId: string): string =>
  `(select json_agg(json_build_object('id', m.id, 'kind', m.kind, 'points', m.points) order by m.id) from ${movesCte} m where m.card_id = ${cardId})`;
