/** Store settings a new terminal starts with, until the hub or an import sets its own. */
import type { StoreSettings } from '../shared/contract/catalog';

export const DEFAULT_SETTINGS: StoreSettings = {
  storeName: 'Till 便利店',
  rounding: { unit: 'jiao', method: 'down' },
  embeddedLayouts: [
    { prefix: '21', pluDigits: 5, value: 'price', valueDigits: 5 },
    { prefix: '22', pluDigits: 5, value: 'weight', valueDigits: 5 },
  ],
  scaleLayout: { prefix: '20', pluDigits: 5, amountDigits: 5, weightDigits: 5 },
  discountLimits: {
    cashier: { percent: 1000, amount: 2000 },
    supervisor: { percent: 3000, amount: 20000 },
    manager: { percent: 5000, amount: 100000 },
    admin: { percent: 10000, amount: 100000000 },
  },
  utcOffsetMinutes: 480,
};
