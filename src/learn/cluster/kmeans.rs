//! Online k-means (MacQueen, 1967) on standardized values, with k-means++ seeding (Arthur &
//! Vassilvitskii, 2007) over a first buffer of points and stable cluster ids afterwards.
//!
//! What it is for: assigning each point to one of `k` clusters as points stream in; a cluster's
//! id never changes once seeded, so downstream consumers (a persona id on a decision) stay
//! meaningful as centroids move. Values are standardized by running means and variances (Welford)
//! so that no feature dominates by its unit.
//! What it is not: exact Lloyd k-means; each point moves its nearest centroid once, by a step of
//! `max(1 / n_cluster, min_rate)` (the floor lets centroids follow slow drift).

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use super::ClusterError;

/// The most clusters.
pub const MAX_K: usize = 16;
/// The largest point dimension.
pub const MAX_DIM: usize = 32;

/// Lloyd iterations run over the seeding buffer.
const SEED_ITERATIONS: usize = 10;

/// Online k-means with stable ids.
///
/// # Examples
/// ```
/// use leadstream::learn::cluster::OnlineKMeans;
/// let mut km = OnlineKMeans::new(2, 1, 20, 0.0, 3).unwrap();
/// for i in 0..200 {
///     let x = if i % 2 == 0 { 0.0 } else { 10.0 };
///     km.learn_one(&[x + f64::from(i % 3) * 0.1]);
/// }
/// assert_ne!(km.predict_one(&[0.1]), km.predict_one(&[10.1]));
/// assert_eq!(km.predict_one(&[0.0]), km.predict_one(&[0.2]));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnlineKMeans {
    k: usize,
    dim: usize,
    warmup: usize,
    min_rate: f64,
    rng: Pcg64Mcg,
    /// Standardized centroids, `k * dim`; empty until seeded.
    centroids: Vec<f64>,
    counts: Vec<u64>,
    /// Raw points kept until seeding, `warmup * dim`.
    buffer: Vec<f64>,
    buffered: usize,
    n: u64,
    mean: Vec<f64>,
    m2: Vec<f64>,
}

impl OnlineKMeans {
    /// `k` clusters (1..=[`MAX_K`]) of `dim`-dimensional points (1..=[`MAX_DIM`]), seeded from the
    /// first `warmup` points (at least `k`), moving centroids by at least `min_rate` in [0, 1).
    ///
    /// # Errors
    /// [`ClusterError::Invalid`] for any setting out of range.
    pub fn new(
        k: usize,
        dim: usize,
        warmup: usize,
        min_rate: f64,
        seed: u64,
    ) -> Result<Self, ClusterError> {
        let bad = |name, value: String, reason| {
            Err(ClusterError::Invalid {
                name,
                value,
                reason,
            })
        };
        if !(1..=MAX_K).contains(&k) {
            return bad("k", k.to_string(), "must be in 1..=16");
        }
        if !(1..=MAX_DIM).contains(&dim) {
            return bad("dim", dim.to_string(), "must be in 1..=32");
        }
        if warmup < k || warmup > 1_000_000 {
            return bad("warmup", warmup.to_string(), "must be in k..=1000000");
        }
        if !(0.0..1.0).contains(&min_rate) {
            return bad("min_rate", min_rate.to_string(), "must be in [0, 1)");
        }
        Ok(Self {
            k,
            dim,
            warmup,
            min_rate,
            rng: Pcg64Mcg::seed_from_u64(seed),
            centroids: Vec::new(),
            counts: vec![0; k],
            buffer: Vec::with_capacity(warmup * dim),
            buffered: 0,
            n: 0,
            mean: vec![0.0; dim],
            m2: vec![0.0; dim],
        })
    }

    /// The number of clusters.
    pub const fn k(&self) -> usize {
        self.k
    }

    /// The dimension of the points.
    pub const fn dim(&self) -> usize {
        self.dim
    }

    /// Whether the centroids have been seeded (after `warmup` points).
    pub fn is_seeded(&self) -> bool {
        !self.centroids.is_empty()
    }

    /// Points learned.
    pub const fn n_seen(&self) -> u64 {
        self.n
    }

    /// Points assigned to each cluster since seeding.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    fn standardize(&self, x: &[f64], out: &mut [f64; MAX_DIM]) {
        for (i, slot) in out.iter_mut().enumerate().take(self.dim) {
            let v = x.get(i).copied().filter(|v| v.is_finite()).unwrap_or(0.0);
            let sd = if self.n > 1 {
                (self.m2[i] / (self.n - 1) as f64).sqrt()
            } else {
                0.0
            };
            *slot = if sd > 1e-9 {
                (v - self.mean[i]) / sd
            } else {
                0.0
            };
        }
    }

    fn nearest(&self, z: &[f64; MAX_DIM]) -> (usize, f64) {
        let d = self.dim;
        let mut best = (0, f64::INFINITY);
        for c in 0..self.k {
            let row = &self.centroids[c * d..(c + 1) * d];
            let dist: f64 = row.iter().zip(z).map(|(a, b)| (a - b) * (a - b)).sum();
            if dist < best.1 {
                best = (c, dist);
            }
        }
        best
    }

    /// The cluster of `x` (0 before seeding).
    pub fn predict_one(&self, x: &[f64]) -> usize {
        if !self.is_seeded() {
            return 0;
        }
        let mut z = [0.0; MAX_DIM];
        self.standardize(x, &mut z);
        self.nearest(&z).0
    }

    /// Learns one point and returns its cluster (0 while still buffering for seeding).
    pub fn learn_one(&mut self, x: &[f64]) -> usize {
        self.n += 1;
        for i in 0..self.dim {
            let v = x.get(i).copied().filter(|v| v.is_finite()).unwrap_or(0.0);
            let delta = v - self.mean[i];
            self.mean[i] += delta / self.n as f64;
            self.m2[i] += delta * (v - self.mean[i]);
        }
        if !self.is_seeded() {
            if self.buffered < self.warmup {
                for i in 0..self.dim {
                    self.buffer
                        .push(x.get(i).copied().filter(|v| v.is_finite()).unwrap_or(0.0));
                }
                self.buffered += 1;
            }
            if self.buffered >= self.warmup {
                self.seed();
            }
            return 0;
        }
        let mut z = [0.0; MAX_DIM];
        self.standardize(x, &mut z);
        let (c, _) = self.nearest(&z);
        self.counts[c] += 1;
        let rate = (1.0 / self.counts[c] as f64).max(self.min_rate);
        let d = self.dim;
        for (cv, zv) in self.centroids[c * d..(c + 1) * d].iter_mut().zip(&z) {
            *cv += rate * (zv - *cv);
        }
        c
    }

    /// k-means++ seeding and a few Lloyd iterations over the buffer, then frees it. Clusters are
    /// numbered by their first standardized coordinate, so ids do not depend on draw order.
    fn seed(&mut self) {
        let (d, k, m) = (self.dim, self.k, self.buffered);
        let mut points = vec![0.0; m * d];
        let mut z = [0.0; MAX_DIM];
        for p in 0..m {
            let raw: Vec<f64> = self.buffer[p * d..(p + 1) * d].to_vec();
            self.standardize(&raw, &mut z);
            points[p * d..(p + 1) * d].copy_from_slice(&z[..d]);
        }
        let dist =
            |a: &[f64], b: &[f64]| -> f64 { a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum() };
        let mut centroids = Vec::with_capacity(k * d);
        let first = self.rng.random_range(0..m);
        centroids.extend_from_slice(&points[first * d..(first + 1) * d]);
        let mut best_d = vec![f64::INFINITY; m];
        for c in 1..k {
            let last = &centroids[(c - 1) * d..c * d].to_vec();
            let mut total = 0.0;
            for p in 0..m {
                best_d[p] = best_d[p].min(dist(&points[p * d..(p + 1) * d], last));
                total += best_d[p];
            }
            let mut pick = self.rng.random::<f64>() * total;
            let mut chosen = m - 1;
            for (p, &w) in best_d.iter().enumerate() {
                if pick < w {
                    chosen = p;
                    break;
                }
                pick -= w;
            }
            centroids.extend_from_slice(&points[chosen * d..(chosen + 1) * d]);
        }
        let mut assign = vec![0usize; m];
        for _ in 0..SEED_ITERATIONS {
            for p in 0..m {
                let pt = &points[p * d..(p + 1) * d];
                assign[p] = (0..k)
                    .min_by(|&a, &b| {
                        dist(pt, &centroids[a * d..(a + 1) * d])
                            .total_cmp(&dist(pt, &centroids[b * d..(b + 1) * d]))
                    })
                    .unwrap_or(0);
            }
            let mut sums = vec![0.0; k * d];
            let mut counts = vec![0u64; k];
            for p in 0..m {
                counts[assign[p]] += 1;
                for i in 0..d {
                    sums[assign[p] * d + i] += points[p * d + i];
                }
            }
            for c in 0..k {
                if counts[c] > 0 {
                    for i in 0..d {
                        centroids[c * d + i] = sums[c * d + i] / counts[c] as f64;
                    }
                }
                self.counts[c] = counts[c];
            }
        }
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| centroids[a * d].total_cmp(&centroids[b * d]));
        self.centroids = order
            .iter()
            .flat_map(|&c| centroids[c * d..(c + 1) * d].to_vec())
            .collect();
        self.counts = order.iter().map(|&c| self.counts[c]).collect();
        self.buffer = Vec::new();
    }

    /// The standardized centroid of `cluster` (empty before seeding or for an unknown cluster).
    pub fn centroid(&self, cluster: usize) -> &[f64] {
        let d = self.dim;
        self.centroids
            .get(cluster * d..(cluster + 1) * d)
            .unwrap_or(&[])
    }

    /// A readable description of a cluster: its three most distinctive dimensions, e.g.
    /// `"high sms_share (+1.4 sd), low email_share (-0.9 sd), high evening_share (+0.8 sd)"`.
    pub fn describe(&self, cluster: usize, names: &[&str]) -> String {
        let c = self.centroid(cluster);
        if c.is_empty() {
            return "not yet learned".to_owned();
        }
        let mut dims: Vec<usize> = (0..c.len()).collect();
        dims.sort_by(|&a, &b| c[b].abs().total_cmp(&c[a].abs()));
        dims.iter()
            .take(3)
            .map(|&i| {
                let name = names.get(i).copied().unwrap_or("?");
                let dir = if c[i] >= 0.0 { "high" } else { "low" };
                format!("{dir} {name} ({:+.1} sd)", c[i])
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}
