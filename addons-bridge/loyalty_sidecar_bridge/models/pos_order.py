# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models
from odoo.tools import float_is_zero


class PosOrder(models.Model):
    _inherit = 'pos.order'

    # Columns the sidecar adds to pos_order.
    membership_product_id = fields.Many2one(
        'product.product', string='Membership Tier', readonly=True, ondelete='set null',
        help="The customer's membership tier when the loyalty sidecar processed the order.")
    referral_code_used = fields.Char(string='Referral Code Used', copy=False)
    loyalty_fallback_points = fields.Json(
        string='Points Given by Odoo', readonly=True, copy=False,
        help="Points Odoo's own code gave each card while the loyalty sidecar could not be reached; "
             "the sidecar takes them back once it processes the order, and applies its own.")
    loyalty_point_move_ids = fields.One2many('loyalty.point.move', 'pos_order_id', string='Loyalty Point Moves', readonly=True)

    def _loyalty_sidecar_order_paid(self):
        """Automation rule: the sidecar processes paid orders (points, membership) once Odoo's
        transaction has committed."""
        self.env['loyalty.sidecar.client']._post_after_commit('/hooks/pos-order', self.ids)

    # The till's loyalty checks are answered by the sidecar (its points are the authority);
    # when it cannot answer, Odoo's own code does and the till keeps selling.

    def validate_coupon_programs(self, point_changes, new_codes):
        answer = self.env['loyalty.sidecar.client']._pos_coupons('validate_coupon_programs', self, [point_changes, new_codes])
        if answer is not None:
            return answer
        return super().validate_coupon_programs(point_changes, new_codes)

    def confirm_coupon_programs(self, coupon_data):
        answer = self.env['loyalty.sidecar.client']._pos_coupons('confirm_coupon_programs', self, [coupon_data])
        if answer is not None:
            return answer
        before = self._loyalty_card_points(coupon_data)
        answer = super().confirm_coupon_programs(coupon_data)
        after = self._loyalty_card_points(coupon_data)
        given = {
            str(card): points - before.get(card, 0.0)
            for card, points in after.items()
            if not float_is_zero(points - before.get(card, 0.0), precision_digits=6)
        }
        if given:
            # What the sidecar takes back when it processes the order, so no point counts twice.
            self.sudo().loyalty_fallback_points = given
        return answer

    def _loyalty_card_points(self, coupon_data):
        """Points of every card confirm_coupon_programs may change for this order: the cards it
        names, gift cards it sells, the customers' cards, the cards created for the order."""
        self.env['loyalty.card'].flush_model(['points', 'partner_id', 'source_pos_order_id'])
        keys = [int(key) for key in coupon_data]
        card_ids = [key for key in keys if key > 0]
        card_ids += [vals['giftCardId'] for vals in coupon_data.values() if vals.get('giftCardId')]
        partner_ids = [vals['partner_id'] for vals in coupon_data.values() if vals.get('partner_id')]
        self.env.cr.execute("""
            SELECT id, COALESCE(points, 0) FROM loyalty_card
             WHERE id = ANY(%s) OR partner_id = ANY(%s) OR source_pos_order_id = ANY(%s)
        """, [card_ids, partner_ids, self.ids])
        return dict(self.env.cr.fetchall())
