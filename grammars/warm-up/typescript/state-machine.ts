// Ananke grammar warm-up text: original code, not part of the build.

export enum OrderState {
  Draft = "draft",
  Submitted = "submitted",
  Paid = "paid",
  Shipped = "shipped",
  Delivered = "delivered",
  Cancelled = "cancelled",
  Refunded = "refunded",
}

export const enum Priority {
  Low = 1,
  Normal = 1 << 1,
  High = 1 << 2,
  Urgent = High | Normal,
}

export type OrderEvent =
  | { type: "submit"; at: Date }
  | { type: "pay"; amountCents: number; reference: string }
  | { type: "ship"; carrier: string; trackingId?: string }
  | { type: "deliver" }
  | { type: "cancel"; reason: string }
  | { type: "refund"; amountCents: number };

type EventOf<T extends OrderEvent["type"]> = Extract<OrderEvent, { type: T }>;

export interface OrderContext {
  id: string;
  totalCents: number;
  paidCents: number;
  priority: Priority;
  notes: string[];
  trackingId?: string;
}

type Handler<E extends OrderEvent> = (ctx: OrderContext, event: E) => OrderState | undefined;

type TransitionTable = {
  [S in OrderState]?: { [T in OrderEvent["type"]]?: Handler<EventOf<T>> };
};

export class TransitionError extends Error {
  constructor(
    readonly from: OrderState,
    readonly eventType: OrderEvent["type"],
  ) {
    super(`Cannot apply "${eventType}" while order is ${from}`);
  }
}

const transitions: TransitionTable = {
  [OrderState.Draft]: {
    submit: (ctx, event) => {
      ctx.notes.push(`submitted at ${event.at.toISOString()}`);
      return OrderState.Submitted;
    },
    cancel: () => OrderState.Cancelled,
  },
  [OrderState.Submitted]: {
    pay: (ctx, { amountCents, reference }) => {
      ctx.paidCents += amountCents;
      ctx.notes.push(`payment ${reference}: ${(amountCents / 100).toFixed(2)}`);
      return ctx.paidCents >= ctx.totalCents ? OrderState.Paid : undefined;
    },
    cancel: (ctx, event) => {
      ctx.notes.push(`cancelled: ${event.reason}`);
      return OrderState.Cancelled;
    },
  },
  [OrderState.Paid]: {
    ship: (ctx, event) => {
      ctx.trackingId = event.trackingId ?? `${event.carrier.slice(0, 3).toUpperCase()}-${ctx.id}`;
      return OrderState.Shipped;
    },
    refund: (ctx, { amountCents }) => {
      ctx.paidCents -= amountCents;
      return ctx.paidCents <= 0 ? OrderState.Refunded : OrderState.Paid;
    },
  },
  [OrderState.Shipped]: {
    deliver: () => OrderState.Delivered,
  },
};

const TERMINAL: ReadonlySet<OrderState> = new Set([
  OrderState.Delivered,
  OrderState.Cancelled,
  OrderState.Refunded,
]);

export interface HistoryEntry {
  readonly from: OrderState;
  readonly to: OrderState;
  readonly event: OrderEvent["type"];
}

export class OrderMachine {
  #state: OrderState;
  readonly history: HistoryEntry[] = [];
  private listeners = new Set<(entry: HistoryEntry) => void>();

  constructor(
    readonly context: OrderContext,
    initial: OrderState = OrderState.Draft,
  ) {
    this.#state = initial;
  }

  get state(): OrderState {
    return this.#state;
  }

  get isFinished(): boolean {
    return TERMINAL.has(this.#state);
  }

  can(type: OrderEvent["type"]): boolean {
    return transitions[this.#state]?.[type] !== undefined;
  }

  send(event: OrderEvent): OrderState {
    const handler = transitions[this.#state]?.[event.type] as Handler<OrderEvent> | undefined;
    if (!handler) {
      throw new TransitionError(this.#state, event.type);
    }
    const next = handler(this.context, event) ?? this.#state;
    if (next !== this.#state) {
      const entry: HistoryEntry = { from: this.#state, to: next, event: event.type };
      this.history.push(entry);
      this.#state = next;
      for (const listener of this.listeners) listener(entry);
    }
    return next;
  }

  subscribe(listener: (entry: HistoryEntry) => void): () => boolean {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function assertNever(value: never, message = "Unexpected value"): never {
  throw new Error(`${message}: ${JSON.stringify(value)}`);
}

export function summarize(event: OrderEvent): string {
  switch (event.type) {
    case "submit":
      return `submitted on ${event.at.toLocaleDateString("en-GB")}`;
    case "pay":
      return `paid ${event.amountCents}¢ (ref ${event.reference})`;
    case "ship":
      return event.trackingId ? `shipped via ${event.carrier}, #${event.trackingId}` : `shipped via ${event.carrier}`;
    case "deliver":
      return "delivered";
    case "cancel":
      return `cancelled because ${event.reason.trim() || "no reason given"}`;
    case "refund":
      return `refunded ${event.amountCents}¢`;
    default:
      return assertNever(event);
  }
}
