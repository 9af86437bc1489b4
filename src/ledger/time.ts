/** Odoo stores datetimes as naive UTC 'YYYY-MM-DD HH:MM:SS' and dates as 'YYYY-MM-DD'. */
export const odooDatetime = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');
export const odooDate = (d: Date): string => d.toISOString().slice(0, 10);

/** The date `days` after `date` ('YYYY-MM-DD' or an Odoo datetime, read as UTC). */
export function addDays(date: string, days: number): string {
  const d = new Date(date.slice(0, 10) + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return odooDate(d);
}
