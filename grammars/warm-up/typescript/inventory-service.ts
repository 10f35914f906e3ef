// Ananke grammar warm-up text: original code, not part of the build.

import { randomUUID, type UUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

/** Stock-keeping unit identifiers look like `ABC-12345`. */
export type Sku = `${Uppercase<string>}-${number}`;
export type Cents = number & { readonly __brand: 'Cents' };

export enum Category {
  Hardware = 'hardware',
  Apparel = 'apparel',
  Grocery = 'grocery',
  Digital = 'digital',
}

export const enum Flag {
  None = 0,
  Fragile = 1 << 0,
  Perishable = 1 << 1,
  Oversized = 1 << 2,
  All = 0b111,
}

export interface Entity {
  readonly id: string;
  createdAt: Date;
  updatedAt?: Date;
}

export interface Product extends Entity {
  sku: Sku;
  name: string;
  category: Category;
  priceCents: Cents;
  flags: number;
  attributes: Record<string, string | number>;
}

export interface StockLevel {
  sku: Sku;
  warehouse: string;
  onHand: number;
  reserved: number;
}

export type NewProduct = Omit<Product, keyof Entity> & Partial<Pick<Entity, 'createdAt'>>;
export type ProductPatch = Partial<Omit<Product, 'id' | 'sku' | 'createdAt'>>;
export type ProductSummary = Readonly<Pick<Product, 'sku' | 'name'>> & { available: number };

type InventoryEvents = {
  'product:created': [product: Product];
  'stock:changed': [level: StockLevel, delta: number];
  'stock:low': [level: StockLevel];
};

type EventName = keyof InventoryEvents;
type Filter<T> = { [K in keyof T]?: T[K] extends string | number ? T[K] | readonly T[K][] : never };
type SortKey<T, V = unknown> = { [K in keyof T]: T[K] extends V ? K : never }[keyof T];
export type NumericKeys = SortKey<StockLevel, number>;
type Handler<E extends EventName = EventName> = (payload: InventoryEvents[E][0]) => void;

export class InventoryError extends Error {
  constructor(message: string, readonly code: 'NOT_FOUND' | 'CONFLICT' | 'INVALID' | 'INSUFFICIENT') {
    super(message);
    this.name = new.target.name;
  }
}

export class InsufficientStockError extends InventoryError {
  constructor(readonly sku: Sku, readonly requested: number, readonly available: number) {
    super(`cannot reserve ${requested} of ${sku}: only ${available} available`, 'INSUFFICIENT');
  }
}

const SKU_PATTERN = /^[A-Z]{2,5}-\d{3,6}$/;

export function isSku(value: string): value is Sku {
  return SKU_PATTERN.test(value);
}

export function assertPositive(value: number, label: string): asserts value is number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InventoryError(`${label} must be a positive integer, got ${value}`, 'INVALID');
  }
}

export const cents = (amount: number): Cents => Math.round(amount * 100) as Cents;

/** Tagged template that formats cent values as currency. */
export function money(strings: TemplateStringsArray, ...values: (Cents | string)[]): string {
  return strings.reduce((acc, part, i) => {
    const value = values[i - 1];
    return acc + (typeof value === 'number' ? `$${(value / 100).toFixed(2)}` : value ?? '') + part;
  });
}

export interface Repository<T extends Entity, K extends keyof T = 'id'> {
  get(key: T[K]): Promise<T | undefined>;
  list(filter?: Filter<T>): AsyncIterable<T>;
  save(entity: T): Promise<T>;
}

export abstract class MemoryRepository<T extends Entity, K extends keyof T & string = 'id'> implements Repository<T, K> {
  protected readonly items = new Map<T[K], T>();
  static #created = 0;

  protected constructor(protected readonly keyField: K) {
    MemoryRepository.#created += 1;
  }

  static get created(): number {
    return MemoryRepository.#created;
  }

  protected abstract validate(entity: T): string[];

  async get(key: T[K]): Promise<T | undefined> {
    const found = this.items.get(key);
    return found ? { ...found } : undefined;
  }

  async *list(filter: Filter<T> = {}): AsyncGenerator<T> {
    const entries = Object.entries(filter) as [keyof T, unknown][];
    items: for (const item of this.items.values()) {
      for (const [field, expected] of entries) {
        const actual = item[field];
        const ok = Array.isArray(expected) ? expected.includes(actual) : expected === actual;
        if (!ok) continue items;
      }
      yield item;
    }
  }

  async save(entity: T): Promise<T> {
    const problems = this.validate(entity);
    if (problems.length > 0) {
      throw new InventoryError(problems.join('; '), 'INVALID');
    }
    const stored = { ...entity, updatedAt: new Date() };
    this.items.set(entity[this.keyField], stored);
    return stored;
  }
}

export class ProductRepository extends MemoryRepository<Product, 'sku'> {
  constructor() {
    super('sku');
  }

  protected validate(product: Product): string[] {
    const problems: string[] = [];
    if (!isSku(product.sku)) problems.push(`invalid sku '${product.sku}'`);
    if (product.priceCents < 0) problems.push('price must not be negative');
    if ((product.flags & ~Flag.All) !== 0) problems.push(`unknown flag bits 0x${product.flags.toString(16)}`);
    return problems;
  }
}

/** Pricing rules applied in order; each may adjust the running price. */
export type PricingRule =
  | { kind: 'percentOff'; percent: number; category?: Category }
  | { kind: 'fixedOff'; amount: Cents }
  | { kind: 'bulk'; minQuantity: number; percent: number }
  | { kind: 'floor'; minimum: Cents };

const TAX_RATES = {
  [Category.Hardware]: 0.08,
  [Category.Apparel]: 0.06,
  [Category.Grocery]: 0,
  [Category.Digital]: 0.05,
} as const satisfies Record<Category, number>;

export class PriceCalculator {
  #rules: PricingRule[] = [];
  #memo = new WeakMap<Product, Map<number, Cents>>();

  constructor(private readonly currency = 'USD', rules: readonly PricingRule[] = []) {
    this.rules = [...rules];
  }

  get rules(): readonly PricingRule[] {
    return this.#rules;
  }

  set rules(next: readonly PricingRule[]) {
    this.#rules = [...next];
    this.#memo = new WeakMap();
  }

  quote(product: Product): Cents;
  quote(product: Product, quantity: number): Cents;
  quote(product: Product, quantity: number, withTax: true): { net: Cents; tax: Cents; currency: string };
  quote(product: Product, quantity = 1, withTax = false): Cents | { net: Cents; tax: Cents; currency: string } {
    const memo = this.#memo.get(product) ?? new Map<number, Cents>();
    this.#memo.set(product, memo);
    const net = memo.get(quantity) ?? this.apply(product, quantity);
    memo.set(quantity, net);
    if (!withTax) return net;
    const tax = cents((net / 100) * TAX_RATES[product.category]);
    return { net, tax, currency: this.currency };
  }

  private apply(product: Product, quantity: number): Cents {
    let unit: number = product.priceCents;
    for (const rule of this.#rules) {
      switch (rule.kind) {
        case 'percentOff':
          if (rule.category && rule.category !== product.category) break;
          unit *= 1 - rule.percent / 100;
          break;
        case 'bulk':
          if (quantity < rule.minQuantity) break;
          unit *= 1 - rule.percent / 100;
          // falls through: bulk discounts are also clamped by the floor check below
        case 'floor':
          if (rule.kind === 'floor') unit = Math.max(unit, rule.minimum);
          break;
        case 'fixedOff':
          unit = Math.max(0, unit - rule.amount);
          break;
        default: {
          const unreachable: never = rule;
          throw new Error(`unknown rule ${JSON.stringify(unreachable)}`);
        }
      }
    }
    return Math.round(unit * quantity) as Cents;
  }
}

/** Yields warehouse ids in round-robin order, starting at `offset`. */
export function* roundRobin(warehouses: readonly string[], offset = 0): Generator<string, never, unknown> {
  if (warehouses.length === 0) throw new RangeError('no warehouses configured');
  for (let i = offset; ; i = (i + 1) % warehouses.length) {
    yield warehouses[i % warehouses.length]!;
  }
}

export interface Reservation {
  id: UUID;
  sku: Sku;
  quantity: number;
  warehouse: string;
  expiresAt: number;
}

export interface ServiceOptions {
  lowStockThreshold?: number;
  reservationTtlMs?: number;
  warehouses?: readonly string[];
}

const DEFAULTS: Required<ServiceOptions> = {
  lowStockThreshold: 5,
  reservationTtlMs: 15 * 60_000,
  warehouses: ['wh-us01', 'wh-eu02'],
};

export class InventoryService extends EventEmitter<InventoryEvents> {
  readonly #stock = new Map<string, StockLevel>();
  readonly #reservations = new Map<UUID, Reservation>();
  readonly #options: Required<ServiceOptions>;
  #totalUnits = 0n;

  constructor(
    private readonly products: ProductRepository,
    public readonly pricing: PriceCalculator,
    options: ServiceOptions = {},
  ) {
    super();
    this.#options = { ...DEFAULTS, ...options };
  }

  get totalUnits(): bigint {
    return this.#totalUnits;
  }

  private static key(sku: Sku, warehouse: string): string {
    return `${warehouse}/${sku}`;
  }

  async createProduct({ createdAt = new Date(), attributes = {}, ...rest }: NewProduct): Promise<Product> {
    if (await this.products.get(rest.sku)) {
      throw new InventoryError(`product ${rest.sku} already exists`, 'CONFLICT');
    }
    const product = await this.products.save({ ...rest, attributes, id: randomUUID(), createdAt });
    this.emit('product:created', product);
    return product;
  }

  async updateProduct(sku: Sku, patch: ProductPatch): Promise<Product> {
    const current = await this.products.get(sku);
    if (!current) throw new InventoryError(`product '${sku}' was not found`, 'NOT_FOUND');
    const next: Product = { ...current, ...patch, attributes: { ...current.attributes, ...patch.attributes } };
    for (const key of Object.keys(next.attributes)) {
      if (next.attributes[key] === '') delete next.attributes[key];
    }
    return this.products.save(next);
  }

  adjust(sku: Sku, warehouse: string, delta: number): StockLevel {
    const key = InventoryService.key(sku, warehouse);
    const level = this.#stock.get(key) ?? { sku, warehouse, onHand: 0, reserved: 0 };
    if (level.onHand + delta < level.reserved) {
      throw new InsufficientStockError(sku, -delta, level.onHand - level.reserved);
    }
    level.onHand += delta;
    this.#totalUnits += BigInt(delta);
    this.#stock.set(key, level);
    this.emit('stock:changed', level, delta);
    if (level.onHand - level.reserved <= this.#options.lowStockThreshold) {
      this.emit('stock:low', level);
    }
    return level;
  }

  available(sku: Sku): number {
    let total = 0;
    for (const level of this.#stock.values()) {
      if (level.sku !== sku) continue;
      total += level.onHand - level.reserved;
    }
    return total;
  }

  reserve(sku: Sku, quantity: number, now = Date.now()): Reservation {
    assertPositive(quantity, 'quantity');
    for (const [id, { expiresAt }] of this.#reservations) {
      if (expiresAt <= now) this.release(id);
    }
    const picker = roundRobin(this.#options.warehouses, quantity);
    let attempts = this.#options.warehouses.length;
    do {
      const warehouse = picker.next().value;
      const level = this.#stock.get(InventoryService.key(sku, warehouse));
      if (level && level.onHand - level.reserved >= quantity) {
        level.reserved += quantity;
        const reservation: Reservation = {
          id: randomUUID(),
          sku,
          quantity,
          warehouse,
          expiresAt: now + this.#options.reservationTtlMs,
        };
        this.#reservations.set(reservation.id, reservation);
        return reservation;
      }
    } while (--attempts > 0);
    throw new InsufficientStockError(sku, quantity, this.available(sku));
  }

  release(id: UUID): boolean {
    const reservation = this.#reservations.get(id);
    if (!reservation) return false;
    const level = this.#stock.get(InventoryService.key(reservation.sku, reservation.warehouse));
    if (level) level.reserved = Math.max(0, level.reserved - reservation.quantity);
    return this.#reservations.delete(id);
  }

  async summarize(filter?: Filter<Product>): Promise<ProductSummary[]> {
    const rows: ProductSummary[] = [];
    for await (const product of this.products.list(filter)) {
      rows.push({ sku: product.sku, name: product.name, available: this.available(product.sku) });
    }
    return rows;
  }
}

export const auditLog = (() => {
  const entries: string[] = [];
  const handlers: { [E in EventName]: Handler<E> } = {
    'product:created': (p) => void entries.push(`created ${p.sku} (${p.name})`),
    'stock:changed': (level) =>
      void entries.push(`stock ${level.sku}@${level.warehouse} -> ${level.onHand}${level.reserved ? ` (${level.reserved} held)` : ''}`),
    'stock:low': ({ sku, warehouse }) => void entries.push(`LOW ${sku} at ${warehouse}`),
  };
  return {
    entries,
    attach(service: InventoryService): void {
      for (const name of Object.keys(handlers) as EventName[]) {
        service.on(name, handlers[name] as (...args: unknown[]) => void);
      }
    },
    get last(): string | undefined {
      return entries.at(-1);
    },
    clear: () => void (entries.length = 0),
  };
})();

export type { InventoryEvents, EventName as InventoryEventName };

export default async function demo(): Promise<void> {
  const pricing = new PriceCalculator('USD', [
    { kind: 'percentOff', percent: 10, category: Category.Apparel },
    { kind: 'bulk', minQuantity: 12, percent: 5 },
    { kind: 'floor', minimum: cents(1.5) },
  ]);
  const service = new InventoryService(new ProductRepository(), pricing, { lowStockThreshold: 3 });
  auditLog.attach(service);

  const settings: { verbose?: boolean; label?: string } = {};
  settings.verbose ||= process.env['VERBOSE'] === '1';
  settings.label ??= 'demo';

  const product = await service.createProduct({
    sku: 'TEE-10042',
    name: 'Plain tee',
    category: Category.Apparel,
    priceCents: cents(19.99),
    flags: Flag.None,
    attributes: { size: 'M', color: 'navy', weightGrams: 180 },
  });
  service.adjust(product.sku, 'wh-us01', 1_000);
  service.adjust(product.sku, 'wh-eu02', 25);

  const { net, tax } = pricing.quote(product, 12, true);
  console.log(money`[${settings.label}] 12 x ${product.sku}: net ${net}, tax ${tax}`);

  const reservation = service.reserve(product.sku, 4);
  try {
    if ('expiresAt' in reservation && settings.verbose) {
      console.log(`reserved in ${reservation.warehouse} until ${new Date(reservation.expiresAt).toISOString()}`);
    }
    const rows = await service.summarize({ category: [Category.Apparel, Category.Hardware] });
    console.table(rows.sort((a, b) => b.available - a.available));
  } finally {
    service.release(reservation.id);
    console.log(`units: ${service.totalUnits}, last audit: ${auditLog.last ?? 'none'}`);
  }
}
