import type { HardlineConfig } from '../config/settings.js';
import type { InventoryIndex } from '../inventory/indexed.js';
import type { Inventory } from '../inventory/types.js';

/** What the policy readers see of a scan: the inventory, its index, and the settings (a control's context is one). */
export interface PolicyContext {
  inventory: Inventory;
  index: InventoryIndex;
  config: HardlineConfig;
}
