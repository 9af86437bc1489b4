# Part of the Odoo loyalty sidecar. License LGPL-3 (see LICENSE at the repository root).
{
    'name': 'Loyalty Sidecar Bridge',
    'version': '17.0.1.0.0',
    'category': 'Sales/Point of Sale',
    'summary': "Connects Odoo to the loyalty sidecar: signed hooks, its points ledger and job runs in Odoo",
    'description': """
Odoo tells the loyalty sidecar what happened (new partners, paid POS orders) through signed
hooks sent after Odoo's transaction commits, drives its scheduled jobs from Odoo's scheduled
actions, lets it answer the till's loyalty checks (with Odoo's own code as the fallback when
it cannot be reached), and shows its data: the columns it adds to Odoo's tables, its points
ledger, the cards' history and its job runs, and its reports: promotion results, first orders
and referrals, vendor commissions, in list, pivot and graph views and as PDF reports (promotion
result, referral codes, a card's loyalty statement, a vendor's commission statement). No
business logic lives here: the sidecar's migrations create the reporting views.
""",
    'author': 'Odoo loyalty sidecar contributors',
    'depends': ['loyalty', 'pos_loyalty', 'membership', 'base_automation'],
    'data': [
        'security/ir.model.access.csv',
        'security/loyalty_sidecar_bridge_security.xml',
        'data/base_automation_data.xml',
        'data/ir_cron_data.xml',
        'views/loyalty_point_move_views.xml',
        'views/loyalty_point_history_views.xml',
        'views/sidecar_job_run_views.xml',
        'views/loyalty_card_views.xml',
        'views/loyalty_program_views.xml',
        'views/product_template_views.xml',
        'views/res_partner_views.xml',
        'views/pos_order_views.xml',
        'views/res_config_settings_views.xml',
        'views/promotion_result_views.xml',
        'views/pos_order_first_views.xml',
        'views/vendor_commission_views.xml',
        'wizard/report_print_views.xml',
        'report/report_actions.xml',
        'report/promotion_result_templates.xml',
        'report/referral_code_templates.xml',
        'report/loyalty_card_statement_templates.xml',
        'report/vendor_commission_templates.xml',
        'views/menus.xml',
    ],
    'installable': True,
    'application': False,
    'license': 'LGPL-3',
}
