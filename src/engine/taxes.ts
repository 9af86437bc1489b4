import { floatRound } from './round';
import { Tax } from './types';

/** One tax's share of a line, as account.tax.compute_all reports it. */
export interface TaxAmount {
  id: number;
  amount: number;
  priceInclude: boolean;
  amountType: Tax['amountType'];
}

export interface TaxResult {
  totalExcluded: number;
  totalIncluded: number;
  taxes: TaxAmount[];
}

/** Taxes in the order compute_all applies them: sequence, then id. */
export function sortTaxes(taxes: Tax[]): Tax[] {
  return [...taxes].sort((a, b) => a.sequence - b.sequence || a.id - b.id);
}

/**
 * Odoo 17's compute_all for percent, fixed and division taxes with 100% repartition, rounding
 * every amount to the currency (round per line). The base is rounded first; price-included
 * taxes are taken out of it (the last included one closes the gap so that excluded + taxes
 * equals the rounded base exactly), then the others are added on top.
 */
export function computeAll(taxesIn: Tax[], priceUnit: number, quantity: number, rounding: number): TaxResult {
  const taxes = sortTaxes(taxesIn);
  const round = (v: number) => floatRound(v, rounding);
  let base = round(priceUnit * quantity);
  let sign = 1;
  if (base < 0) {
    sign = -1;
    base = -base;
  }
  // Walk backwards to find the untaxed base hidden in an included price.
  const checkpoints = new Map<number, number>();
  let storeCheckpoint = true;
  let inclFixed = 0;
  let inclPercent = 0;
  let inclDivision = 0;
  const recomputeBase = (b: number) => ((b - inclFixed) / (1 + inclPercent / 100)) * (100 - inclDivision) / 100;
  for (let i = taxes.length - 1; i >= 0; i--) {
    const tax = taxes[i];
    if (tax.includeBaseAmount) {
      base = recomputeBase(base);
      inclFixed = inclPercent = inclDivision = 0;
      storeCheckpoint = true;
    }
    if (tax.priceInclude) {
      if (tax.amountType === 'percent') inclPercent += tax.amount;
      else if (tax.amountType === 'division') inclDivision += tax.amount;
      else if (tax.amountType === 'fixed') inclFixed += Math.abs(quantity) * tax.amount;
      if (storeCheckpoint && tax.amount) {
        checkpoints.set(i, base);
        storeCheckpoint = false;
      }
    }
  }
  const totalExcluded = round(recomputeBase(base));
  base = totalExcluded;
  let totalIncluded = totalExcluded;
  let cumulatedIncluded = 0;
  let skipCheckpoint = false;
  const out: TaxAmount[] = [];
  taxes.forEach((tax, i) => {
    const taxBase = base;
    let amount: number;
    const checkpoint = checkpoints.get(i);
    if (!skipCheckpoint && tax.priceInclude && checkpoint !== undefined) {
      amount = checkpoint - (base + cumulatedIncluded);
      cumulatedIncluded = 0;
    } else {
      amount = taxAmount(tax, taxBase, quantity);
    }
    amount = round(amount);
    if (tax.priceInclude && checkpoint === undefined) cumulatedIncluded += amount;
    if (tax.includeBaseAmount) {
      base += amount;
      if (!tax.priceInclude) skipCheckpoint = true;
    }
    totalIncluded += amount;
    out.push({ id: tax.id, amount: sign * amount, priceInclude: tax.priceInclude, amountType: tax.amountType });
  });
  return { totalExcluded: sign * totalExcluded, totalIncluded: sign * round(totalIncluded), taxes: out };
}

/** A tax's amount on a base, as if it were excluded from the price. */
function taxAmount(tax: Tax, base: number, quantity: number): number {
  switch (tax.amountType) {
    case 'fixed':
      return Math.abs(quantity) * tax.amount;
    case 'percent':
      return (base * tax.amount) / 100;
    case 'division':
      return tax.amount >= 100 ? 0 : base / (1 - tax.amount / 100) - base;
    default:
      return 0;
  }
}
