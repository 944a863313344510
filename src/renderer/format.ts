/** Display formatting of integer amounts and quantities (no float arithmetic). */
import { formatMinor, type Minor } from '../shared/money';

export const money = (n: Minor): string => `¥${formatMinor(n)}`;

/** a count as is; grams of a weighed line as kilograms with three decimals */
export const quantity = (qty: number, weighed: boolean): string => (weighed ? `${formatMinor(qty, 3)} kg` : String(qty));
