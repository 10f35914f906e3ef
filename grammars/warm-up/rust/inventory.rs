// Ananke grammar warm-up text: original code, not part of the build.

//! A small inventory model: items, warehouses and the errors they raise.

use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::fmt;
use std::num::ParseIntError;
use std::str::FromStr;

/// Stock keeping unit, always upper case, e.g. `"AB-1234"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sku(String);

impl Sku {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Sku {
    type Err = InventoryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (prefix, digits) = s
            .split_once('-')
            .ok_or_else(|| InventoryError::BadSku(s.to_owned()))?;
        if prefix.len() != 2 || !prefix.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(InventoryError::BadSku(s.to_owned()));
        }
        let _number: u32 = digits.parse()?;
        Ok(Sku(format!("{}-{}", prefix.to_ascii_uppercase(), digits)))
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything that can go wrong while handling stock.
#[derive(Debug)]
pub enum InventoryError {
    BadSku(String),
    BadNumber(ParseIntError),
    OutOfStock {
        sku: Sku,
        wanted: u32,
        available: u32,
    },
    UnknownWarehouse(u16),
}

impl fmt::Display for InventoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InventoryError::BadSku(raw) => write!(f, "malformed SKU {raw:?}"),
            InventoryError::BadNumber(e) => write!(f, "bad number: {}", e),
            InventoryError::OutOfStock {
                sku,
                wanted,
                available,
            } => write!(f, "{sku}: wanted {wanted}, only {available} left"),
            Self::UnknownWarehouse(id) => write!(f, "no warehouse #{:03}", id),
        }
    }
}

impl Error for InventoryError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            InventoryError::BadNumber(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ParseIntError> for InventoryError {
    fn from(e: ParseIntError) -> Self {
        InventoryError::BadNumber(e)
    }
}

pub type Result<T, E = InventoryError> = std::result::Result<T, E>;

/// Price in cents, to keep arithmetic exact.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cents(pub i64);

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{}${}.{:02}", sign, abs / 100, abs % 100)
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, rhs: Cents) -> Cents {
        Cents(self.0 + rhs.0)
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Self {
        iter.fold(Cents::default(), |acc, c| acc + c)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Hardware,
    Software,
    Service { monthly: bool },
}

#[derive(Debug, Clone)]
pub struct Item {
    pub sku: Sku,
    pub name: String,
    pub price: Cents,
    pub category: Category,
    pub quantity: u32,
}

/// Anything that holds priced stock.
pub trait Stocked {
    fn items(&self) -> Box<dyn Iterator<Item = &Item> + '_>;

    fn total_value(&self) -> Cents {
        self.items()
            .map(|i| Cents(i.price.0 * i64::from(i.quantity)))
            .sum()
    }

    fn low_stock(&self, threshold: u32) -> Vec<&Item> {
        let mut low: Vec<&Item> = self.items().filter(|i| i.quantity < threshold).collect();
        low.sort_by_key(|i| (i.quantity, i.sku.clone()));
        low
    }
}

#[derive(Debug, Default)]
pub struct Warehouse {
    pub id: u16,
    stock: BTreeMap<Sku, Item>,
}

impl Warehouse {
    pub fn new(id: u16) -> Self {
        Warehouse {
            id,
            ..Default::default()
        }
    }

    pub fn receive(&mut self, item: Item) -> &mut Self {
        self.stock
            .entry(item.sku.clone())
            .and_modify(|existing| existing.quantity += item.quantity)
            .or_insert(item);
        self
    }

    pub fn take(&mut self, sku: &Sku, wanted: u32) -> Result<Item> {
        let Some(item) = self.stock.get_mut(sku) else {
            return Err(InventoryError::OutOfStock {
                sku: sku.clone(),
                wanted,
                available: 0,
            });
        };
        match item.quantity {
            q if q >= wanted => {
                item.quantity -= wanted;
                let mut taken = item.clone();
                taken.quantity = wanted;
                Ok(taken)
            }
            available => Err(InventoryError::OutOfStock {
                sku: sku.clone(),
                wanted,
                available,
            }),
        }
    }
}

impl Stocked for Warehouse {
    fn items(&self) -> Box<dyn Iterator<Item = &Item> + '_> {
        Box::new(self.stock.values())
    }
}

/// A network of warehouses addressed by id.
pub struct Network {
    sites: HashMap<u16, Warehouse>,
}

impl Network {
    pub fn new<I>(sites: I) -> Self
    where
        I: IntoIterator<Item = Warehouse>,
    {
        Network {
            sites: sites.into_iter().map(|w| (w.id, w)).collect(),
        }
    }

    pub fn site_mut(&mut self, id: u16) -> Result<&mut Warehouse> {
        self.sites
            .get_mut(&id)
            .ok_or(InventoryError::UnknownWarehouse(id))
    }

    /// Moves stock between two sites, undoing nothing on failure because
    /// `take` only mutates when it succeeds.
    pub fn transfer(&mut self, from: u16, to: u16, sku: &str, qty: u32) -> Result<Cents> {
        let sku: Sku = sku.parse()?;
        let moved = self.site_mut(from)?.take(&sku, qty)?;
        let value = Cents(moved.price.0 * i64::from(qty));
        self.site_mut(to)?.receive(moved);
        Ok(value)
    }

    pub fn by_category(&self) -> HashMap<Category, u32> {
        let mut counts = HashMap::new();
        for item in self.sites.values().flat_map(|w| w.items()) {
            *counts.entry(item.category).or_insert(0) += item.quantity;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(sku: &str, qty: u32, price: i64) -> Item {
        Item {
            sku: sku.parse().expect("valid sku"),
            name: format!("item {sku}"),
            price: Cents(price),
            category: Category::Hardware,
            quantity: qty,
        }
    }

    #[test]
    fn parses_and_normalises_skus() {
        let sku: Sku = "ab-0042".parse().unwrap();
        assert_eq!(sku.as_str(), "AB-0042");
        assert!(matches!(
            "abc-1".parse::<Sku>(),
            Err(InventoryError::BadSku(_))
        ));
        assert!(matches!(
            "ab-x1".parse::<Sku>(),
            Err(InventoryError::BadNumber(_))
        ));
    }

    #[test]
    fn transfer_moves_stock_and_reports_value() -> Result<()> {
        let mut a = Warehouse::new(1);
        a.receive(item("HW-1", 10, 1_999))
            .receive(item("HW-1", 5, 1_999));
        let mut net = Network::new(vec![a, Warehouse::new(2)]);
        let value = net.transfer(1, 2, "hw-1", 4)?;
        assert_eq!(value.to_string(), "$79.96");
        assert_eq!(net.site_mut(1)?.total_value(), Cents(11 * 1_999));
        let err = net.transfer(1, 2, "HW-1", 100).unwrap_err();
        assert_eq!(err.to_string(), "HW-1: wanted 100, only 11 left");
        assert!(net.transfer(1, 9, "HW-1", 1).is_err());
        Ok(())
    }

    #[test]
    fn formats_negative_cents() {
        assert_eq!(format!("{}", Cents(-5)), "-$0.05");
        assert_eq!(Cents(120_00).to_string(), "$120.00");
    }
}
