//! Market conditions per area: a daily random walk of mortgage rate, inventory and price index,
//! with a jump when a `market-shock` drift hits.
//!
//! What it is for: the `market_update` events of the stream (context features for models).
//! What it is not: a driver of lead behaviour; the shock's effect on leads lives in the drift
//! schedule, so the oracle stays a pure function of time.

use rand::Rng;

/// One area's market.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Market {
    /// Mortgage rate, percent.
    pub rate: f64,
    /// Homes for sale.
    pub inventory: u32,
    /// Price index (100 = start).
    pub price_index: f64,
    /// Whether the shock has been applied.
    pub shocked: bool,
}

impl Market {
    /// A market in its starting state, varied per area.
    pub fn new<R: Rng + ?Sized>(rng: &mut R) -> Self {
        Self {
            rate: 6.0 + rng.random::<f64>() * 1.0,
            inventory: rng.random_range(150..600),
            price_index: 95.0 + rng.random::<f64>() * 10.0,
            shocked: false,
        }
    }

    /// Moves the market by one day; `shock` says whether a market shock is in force.
    pub fn step<R: Rng + ?Sized>(&mut self, shock: bool, rng: &mut R) {
        if shock && !self.shocked {
            self.shocked = true;
            self.rate += 1.5;
            self.price_index *= 0.93;
        }
        self.rate = (self.rate + (rng.random::<f64>() - 0.5) * 0.06).clamp(1.0, 15.0);
        self.price_index =
            (self.price_index * (1.0 + (rng.random::<f64>() - 0.5) * 0.004)).max(1.0);
        let change = rng.random_range(-12i64..=12) + if self.shocked { 3 } else { 0 };
        self.inventory = (i64::from(self.inventory) + change).clamp(20, 5_000) as u32;
    }

    /// The rate rounded to basis points and the index to two decimals, as published.
    pub fn published(&self) -> (f64, u32, f64) {
        (
            (self.rate * 100.0).round() / 100.0,
            self.inventory,
            (self.price_index * 100.0).round() / 100.0,
        )
    }
}
