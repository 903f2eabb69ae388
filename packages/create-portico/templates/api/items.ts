/** The items the API serves: their zod schemas (named for the OpenAPI document) and an in-memory store. */
import { z } from 'zod';

export const Item = z.object({ id: z.number().int(), name: z.string(), price: z.number() }).meta({ id: 'Item' });

const ItemFields = z.object({
  name: z.string().trim().min(1).max(100),
  price: z.number().positive(),
});

export const ItemInput = ItemFields.meta({ id: 'ItemInput' });

/** Every field optional: a field left out of a PATCH stays as it is. */
export const ItemPatch = ItemFields.partial().meta({ id: 'ItemPatch' });

export type Item = z.output<typeof Item>;
export type ItemInput = z.output<typeof ItemInput>;
export type ItemPatch = z.output<typeof ItemPatch>;

/** Items in this process's memory: swap in a database here. */
export class ItemStore {
  readonly #items = new Map<number, Item>();
  #lastId = 0;

  list(limit: number): Item[] {
    return [...this.#items.values()].slice(0, limit);
  }

  get(id: number): Item | undefined {
    return this.#items.get(id);
  }

  add(input: ItemInput): Item {
    const item = { id: ++this.#lastId, ...input };
    this.#items.set(item.id, item);
    return item;
  }

  update(item: Item, patch: ItemPatch): Item {
    const updated = { ...item, name: patch.name ?? item.name, price: patch.price ?? item.price };
    this.#items.set(item.id, updated);
    return updated;
  }

  remove(item: Item): void {
    this.#items.delete(item.id);
  }
}
